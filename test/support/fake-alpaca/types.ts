import type { AlpacaRestBar } from '@tickstream/marketdata';

/** Wire shapes of the Alpaca market-data stream, as the fake sends them (t: RFC 3339). */
export interface FakeTrade {
  T: 't';
  S: string;
  i: number;
  x: string;
  p: number;
  s: number;
  c: string[];
  t: string;
  z: string;
}

export interface FakeQuote {
  T: 'q';
  S: string;
  bx: string;
  bp: number;
  /** Round lots, as Alpaca sends them. */
  bs: number;
  ax: string;
  ap: number;
  as: number;
  c: string[];
  t: string;
  z: string;
}

/** A bar on the stream: the REST endpoint's fields, with its type and symbol. */
export interface FakeBar extends FakeRestBar {
  T: 'b' | 'u';
  S: string;
}

/** Anything else a test wants on the wire: unknown types, broken records. */
export type FakeMarketMessage = FakeTrade | FakeQuote | FakeBar | Record<string, unknown>;

/** A REST bar as the backfill reads it; the fake always sends the optional n and vw. */
export type FakeRestBar = Required<AlpacaRestBar>;

export interface FakeKey {
  key: string;
  secret: string;
}

/**
 * A failure the fake produces once, on the next matching request:
 * - auth: answer the next auth with this error code and close (402, 406, 409 ...);
 * - subscribe: refuse the next subscribe with this code, connection stays (405, 410);
 * - bars: answer the next REST bars request with this HTTP status (429, 500 ...).
 */
export type FakeFailure =
  | { kind: 'auth'; code: number }
  | { kind: 'subscribe'; code: number }
  | { kind: 'bars'; status: number; retryAfterSec?: number };

export const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
  409: 'insufficient subscription',
  410: 'invalid subscribe action for this feed',
  500: 'internal error',
};

/**
 * The `i`-th test trade of `symbol` on the wire: trade id `i`, price 100 + i / 100, stamped `i`
 * milliseconds after 2026-11-20 15:30:00 UTC (so a run of them is in feed order).
 */
export function fakeTrade(symbol: string, i: number): FakeTrade {
  return {
    T: 't',
    S: symbol,
    i,
    x: 'V',
    p: 100 + i / 100,
    s: 10,
    c: ['@'],
    t: new Date(Date.UTC(2026, 10, 20, 15, 30, 0, i)).toISOString(),
    z: 'C',
  };
}
