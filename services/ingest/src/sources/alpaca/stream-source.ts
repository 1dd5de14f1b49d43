/*
 * Alpaca market-data stream v2 client, written on `ws` rather than @alpacahq/alpaca-trade-api
 * 4.0.2. The SDK was evaluated first; its market-data stream:
 *  - forces msgpack (`super({ ...options, codec: "msgpack" })`): no JSON framing;
 *  - treats only 401/402/404 as terminal and reports other server errors as bare strings, so
 *    409 (insufficient subscription) is retried forever and error codes cannot be counted;
 *  - has one back-off schedule, so 406 (one connection per feed) cannot get a longer one;
 *  - gives up after 10 reconnects by default and has no hook to drop replayed records.
 * Handling those around the SDK would be more code than the protocol itself, which is small.
 */
import { encode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import type { BackoffPolicy } from '@tickstream/contracts';
import { Backoff } from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/platform';
import { createRejectCounter } from '../sampled-log';
import { validateSymbols } from '@tickstream/marketdata';
import type { MarketSource, SourceOptions, SourceState } from '../types';
import { deliver, silentLogger } from '../types';
import { RecentKeys } from './dedup';
import { errorPolicy } from './error-codes';
import type { Channel, Encoding, Subscriptions } from './protocol';
import { CHANNELS, decodeFrame, dedupKey, parseMessage } from './protocol';

export type AlpacaFeed = 'iex' | 'sip' | 'delayed_sip' | 'test';

/** The reconnect schedule: exponential with jitter, and a longer floor after a 406. */
export interface BackoffOptions extends Required<BackoffPolicy> {
  /** Floor after a 406: the other connection rarely goes away within seconds. */
  connectionLimitMs: number;
}

const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 30_000,
  jitter: 0.5,
  connectionLimitMs: 60_000,
};

export interface AlpacaSourceOptions extends SourceOptions {
  keyId: string;
  secretKey: string;
  /** Default iex (the free plan). `test` streams FAKEPACA around the clock. */
  feed?: AlpacaFeed;
  /** Stream base URL; the feed is appended. Default wss://stream.data.alpaca.markets/v2. */
  url?: string;
  /** Default msgpack. */
  encoding?: Encoding;
  symbols?: readonly string[];
  /** Default: trades, quotes, bars, updatedBars. */
  channels?: readonly Channel[];
  /** Default DEFAULT_BACKOFF: 500 ms doubling to 30 s, up to half of it jittered away; 60 s after a 406. */
  backoff?: Partial<BackoffOptions>;
  /** A connection not authenticated after this long is dropped and retried. Default 10 s. */
  authTimeoutMs?: number;
  /** Log 1 in N rejected frames/records (all are counted). Default 100. */
  logSampleEvery?: number;
}

export interface AlpacaSourceStats {
  connects: number;
  delivered: { trades: number; quotes: number; bars: number };
  duplicates: number;
  rejected: Readonly<Record<string, number>>;
  serverErrors: Readonly<Record<number, number>>;
}

export interface AlpacaSource extends MarketSource {
  /** The set the server last confirmed. */
  subscriptions(): Subscriptions;
  stats(): AlpacaSourceStats;
}

const emptySubscriptions = (): Subscriptions => ({ trades: [], quotes: [], bars: [], updatedBars: [] });

export function createAlpacaSource(opts: AlpacaSourceOptions): AlpacaSource {
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? silentLogger;
  const url = `${(opts.url ?? 'wss://stream.data.alpaca.markets/v2').replace(/\/$/, '')}/${opts.feed ?? 'iex'}`;
  const encoding = opts.encoding ?? 'msgpack';
  const channels = opts.channels ?? CHANNELS;
  const { connectionLimitMs, ...policy } = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const backoff = new Backoff(policy);
  const rejects = createRejectCounter(logger, opts.onError, opts.logSampleEvery);
  const recent = new RecentKeys();
  const serverErrors: Record<number, number> = {};
  const delivered = { trades: 0, quotes: 0, bars: 0 };
  let duplicates = 0;
  let connects = 0;
  let symbols = validateSymbols(opts.symbols ?? []);
  let confirmed = emptySubscriptions();
  let state: SourceState = 'idle';
  let ws: WebSocket | undefined;
  let authenticated = false;
  let slowRetry = false;
  let authTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let started: { resolve: () => void; reject: (err: Error) => void } | undefined;
  let stopping: Promise<void> | undefined;

  const setState = (next: SourceState, detail?: string): void => {
    state = next;
    opts.onStateChange?.(next, detail);
  };

  function send(socket: WebSocket, msg: object): void {
    // Match the SDKs: client messages use the connection's framing too.
    socket.send(encoding === 'msgpack' ? encode(msg) : JSON.stringify(msg));
  }

  function request(action: 'subscribe' | 'unsubscribe', list: readonly string[]): void {
    if (!ws || !authenticated || list.length === 0) return;
    const msg: Record<string, unknown> = { action };
    for (const c of channels) msg[c] = list;
    send(ws, msg);
  }

  function connect(): void {
    connects += 1;
    authenticated = false;
    slowRetry = false;
    const socket = new WebSocket(url, {
      headers: { 'Content-Type': encoding === 'msgpack' ? 'application/msgpack' : 'application/json' },
      perMessageDeflate: false,
    });
    ws = socket;
    authTimer = setTimeout(() => {
      logger.warn({ url }, 'alpaca stream: not authenticated in time, reconnecting');
      socket.terminate();
    }, opts.authTimeoutMs ?? 10_000);
    // Like the official SDKs, auth goes out as soon as the socket opens, before "connected".
    socket.on('open', () => send(socket, { action: 'auth', key: opts.keyId, secret: opts.secretKey }));
    socket.on('message', (data) => {
      if (socket === ws) onFrame(socket, toBuffer(data));
    });
    socket.on('error', (err) => logger.warn({ err: err.message, url }, 'alpaca stream: socket error'));
    socket.on('close', (code) => onClose(socket, code));
  }

  function onFrame(socket: WebSocket, data: Buffer): void {
    let messages: unknown[];
    try {
      messages = decodeFrame(data, encoding);
    } catch (err) {
      rejects.reject('malformed_frame', 'alpaca stream: malformed frame dropped', {
        err: (err as Error).message,
        bytes: data.length,
      });
      return;
    }
    for (const raw of messages) {
      const m = parseMessage(raw);
      switch (m.type) {
        case 'success':
          if (m.msg === 'authenticated') onAuthenticated();
          break;
        case 'subscription':
          confirmed = m.subscriptions;
          logger.info({ subscriptions: confirmed }, 'alpaca stream: subscription confirmed');
          break;
        case 'error':
          onServerError(socket, m.code, m.msg);
          break;
        case 'data':
          if (recent.seen(m.event.record.symbol, dedupKey(m.event))) {
            duplicates += 1;
            break;
          }
          delivered[`${m.event.kind}s`] += 1;
          deliver(opts.sink, m.event, clock());
          break;
        case 'rejected':
          rejects.reject(m.code, `alpaca stream: ${m.reason}`);
          break;
        case 'ignored':
          break;
      }
    }
  }

  function onAuthenticated(): void {
    clearTimeout(authTimer);
    authenticated = true;
    backoff.reset();
    // A reconnect starts with an empty server-side set: resubscribe to everything we want.
    request('subscribe', symbols);
    setState('running');
    logger.info({ url, symbols: symbols.length, encoding }, 'alpaca stream: authenticated');
    started?.resolve();
    started = undefined;
  }

  function onServerError(socket: WebSocket, code: number, msg: string): void {
    serverErrors[code] = (serverErrors[code] ?? 0) + 1;
    opts.onError?.(code, msg);
    const policy = errorPolicy(code);
    logger.error({ code, msg, url }, `alpaca stream error ${code} (${policy.name}): ${policy.hint}`);
    switch (policy.action) {
      case 'fatal':
        fail(
          new TickstreamError(`ALPACA_STREAM_${code}`, `alpaca stream: ${code} ${policy.name}: ${msg}`, {
            retryable: false,
          }),
        );
        return;
      case 'reconnect-slow':
        slowRetry = true;
        socket.terminate();
        return;
      case 'reconnect':
        socket.terminate();
        return;
      case 'log':
        return;
    }
  }

  function onClose(socket: WebSocket, code: number): void {
    if (socket !== ws) return;
    clearTimeout(authTimer);
    ws = undefined;
    authenticated = false;
    confirmed = emptySubscriptions();
    if (state === 'stopping' || state === 'stopped' || state === 'failed') return;
    const delay = backoff.next(slowRetry ? connectionLimitMs : 0);
    setState('reconnecting', `closed with ${code}`);
    logger.warn({ code, delayMs: Math.round(delay), url }, 'alpaca stream: connection closed, reconnecting');
    retryTimer = setTimeout(connect, delay);
  }

  function fail(err: TickstreamError): void {
    clearTimeout(retryTimer);
    setState('failed', err.message);
    ws?.terminate();
    started?.reject(err);
    started = undefined;
  }

  return {
    name: 'alpaca',
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle') return Promise.resolve();
      setState('starting');
      return new Promise<void>((resolve, reject) => {
        started = { resolve, reject };
        connect();
      });
    },
    stop() {
      stopping ??= (async () => {
        const wasFailed = state === 'failed';
        setState('stopping');
        clearTimeout(retryTimer);
        clearTimeout(authTimer);
        started?.resolve();
        started = undefined;
        const socket = ws;
        ws = undefined;
        if (socket && socket.readyState !== WebSocket.CLOSED) {
          const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
          socket.close(1000);
          const forced = setTimeout(() => socket.terminate(), 1000);
          await closed;
          clearTimeout(forced);
        }
        setState(wasFailed ? 'failed' : 'stopped');
      })();
      return stopping;
    },
    async setSymbols(next) {
      const wanted = validateSymbols(next);
      const removed = symbols.filter((s) => !wanted.includes(s));
      const added = wanted.filter((s) => !symbols.includes(s));
      symbols = wanted;
      for (const s of removed) recent.forget(s);
      request('unsubscribe', removed);
      request('subscribe', added);
    },
    subscriptions: () => confirmed,
    stats: () => ({
      connects,
      delivered: { ...delivered },
      duplicates,
      rejected: rejects.counts(),
      serverErrors: { ...serverErrors },
    }),
  };
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
