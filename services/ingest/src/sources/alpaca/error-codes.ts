/**
 * What the client does on each documented stream error. Alpaca closes the socket itself after
 * most of these; acting on our side as well means a server that keeps it open cannot wedge us.
 *
 * - fatal: retrying cannot help (bad keys, plan does not cover the feed): stop, report `failed`.
 * - reconnect: the connection is unusable: close and reconnect with the normal back-off.
 * - reconnect-slow: 406, another connection holds the feed: reconnect with the long back-off.
 * - log: the connection stays usable; the request that caused it was refused.
 */
export type ErrorAction = 'fatal' | 'reconnect' | 'reconnect-slow' | 'log';

export interface ErrorPolicy {
  name: string;
  action: ErrorAction;
  hint: string;
}

export const STREAM_ERRORS: Readonly<Record<number, ErrorPolicy>> = {
  400: {
    name: 'invalid syntax',
    action: 'log',
    hint: 'the client sent a message Alpaca could not parse (a bug here)',
  },
  401: {
    name: 'not authenticated',
    action: 'reconnect',
    hint: 'a request arrived before authentication completed',
  },
  402: {
    name: 'auth failed',
    action: 'fatal',
    hint: 'check ALPACA_KEY_ID / ALPACA_SECRET_KEY; not retrying',
  },
  403: { name: 'already authenticated', action: 'log', hint: 'duplicate auth message, harmless' },
  404: { name: 'auth timeout', action: 'reconnect', hint: 'auth was not sent within the server deadline' },
  405: {
    name: 'symbol limit exceeded',
    action: 'log',
    hint: 'the plan caps subscribed symbols (IEX free: 30 for trades/quotes); the extra symbols were refused',
  },
  406: {
    name: 'connection limit exceeded',
    action: 'reconnect-slow',
    hint: 'Alpaca allows one connection per feed per account: another process holds it; retrying with the long back-off',
  },
  407: {
    name: 'slow client',
    action: 'reconnect',
    hint: 'we did not read fast enough and the server dropped us',
  },
  408: {
    name: 'v2 not enabled',
    action: 'fatal',
    hint: 'the account has no v2 market data access; not retrying',
  },
  409: {
    name: 'insufficient subscription',
    action: 'fatal',
    hint: 'the plan does not include this feed (sip needs a paid plan; try iex); not retrying',
  },
  410: {
    name: 'invalid subscribe action for this feed',
    action: 'log',
    hint: 'a channel is not available on this feed',
  },
  500: { name: 'internal error', action: 'reconnect', hint: 'Alpaca-side failure' },
};

/** Undocumented codes: treat as transient, because giving up on an unknown code loses data. */
export function errorPolicy(code: number): ErrorPolicy {
  return STREAM_ERRORS[code] ?? { name: 'unknown error', action: 'reconnect', hint: 'undocumented code' };
}
