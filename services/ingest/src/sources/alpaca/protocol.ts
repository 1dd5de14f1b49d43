import { decode } from '@msgpack/msgpack';
import type { Bar, MarketEvent, Quote, Trade, Unstamped } from '../types';

/** Picked by the Content-Type of the upgrade request; msgpack is smaller and what the SDKs use. */
export type Encoding = 'json' | 'msgpack';

export const CHANNELS = ['trades', 'quotes', 'bars', 'updatedBars'] as const;
export type Channel = (typeof CHANNELS)[number];
export type Subscriptions = Record<Channel, string[]>;

export type StreamMessage =
  | { type: 'success'; msg: string }
  | { type: 'subscription'; subscriptions: Subscriptions }
  | { type: 'error'; code: number; msg: string }
  | { type: 'data'; event: MarketEvent }
  /** Known message types this platform does not consume (daily bars, statuses, LULD...). */
  | { type: 'ignored' }
  | { type: 'rejected'; code: 'unknown_message' | 'invalid_record'; reason: string };

const IGNORED_TYPES = new Set(['d', 's', 'l', 'c', 'x', 'i', 'o', 'n']);
/** Alpaca quotes count round lots of 100 shares; the platform's Quote is in shares. */
export const ROUND_LOT = 100;
const MINUTE_MS = 60_000;

/** Every frame is an array of messages; anything else is malformed (throws). */
export function decodeFrame(data: Buffer, encoding: Encoding): unknown[] {
  const decoded: unknown = encoding === 'msgpack' ? decode(data) : JSON.parse(data.toString('utf8'));
  if (!Array.isArray(decoded)) throw new Error('frame is not an array');
  return decoded;
}

type Raw = Record<string, unknown>;

/** RFC 3339 with nanoseconds (JSON) or a msgpack timestamp (decoded to Date): epoch ms. */
function millis(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return Date.parse(v);
  return NaN;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

const optionalNum = (v: unknown): number | null => (v === undefined || v === null ? null : num(v));
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const id = (v: unknown): string | null =>
  typeof v === 'number' || typeof v === 'bigint' ? String(v) : str(v);
const positive = (...xs: number[]): boolean => xs.every((x) => Number.isFinite(x) && x > 0);
const nonNegative = (...xs: number[]): boolean => xs.every((x) => Number.isFinite(x) && x >= 0);

function trade(m: Raw, symbol: string): Unstamped<Trade> | string {
  const t: Unstamped<Trade> = {
    symbol,
    event_time: millis(m.t),
    price: num(m.p),
    size: num(m.s),
    trade_id: id(m.i),
    exchange: str(m.x),
    conditions: strings(m.c),
    tape: str(m.z),
    source: 'alpaca',
  };
  if (!Number.isFinite(t.event_time)) return 'bad timestamp';
  return positive(t.price, t.size) ? t : `impossible price/size ${t.price}/${t.size}`;
}

function quote(m: Raw, symbol: string): Unstamped<Quote> | string {
  const q: Unstamped<Quote> = {
    symbol,
    event_time: millis(m.t),
    bid_price: num(m.bp),
    bid_size: num(m.bs) * ROUND_LOT,
    ask_price: num(m.ap),
    ask_size: num(m.as) * ROUND_LOT,
    bid_exchange: str(m.bx),
    ask_exchange: str(m.ax),
    conditions: strings(m.c),
    tape: str(m.z),
    source: 'alpaca',
  };
  if (!Number.isFinite(q.event_time)) return 'bad timestamp';
  if (!positive(q.bid_price, q.ask_price) || !nonNegative(q.bid_size, q.ask_size))
    return 'impossible price/size';
  return q.bid_price <= q.ask_price ? q : `crossed quote: bid ${q.bid_price} > ask ${q.ask_price}`;
}

function bar(m: Raw, symbol: string, isUpdate: boolean): Unstamped<Bar> | string {
  const b: Unstamped<Bar> = {
    symbol,
    start_time: millis(m.t),
    interval_ms: MINUTE_MS,
    open: num(m.o),
    high: num(m.h),
    low: num(m.l),
    close: num(m.c),
    volume: num(m.v),
    trade_count: optionalNum(m.n),
    vwap: optionalNum(m.vw),
    is_update: isUpdate,
    source: 'alpaca',
  };
  if (!Number.isFinite(b.start_time)) return 'bad timestamp';
  if (!positive(b.open, b.high, b.low, b.close) || !nonNegative(b.volume)) return 'impossible price/volume';
  const consistent = b.high >= Math.max(b.open, b.close, b.low) && b.low <= Math.min(b.open, b.close);
  return consistent ? b : 'high/low inconsistent with open/close';
}

function subscriptions(m: Raw): Subscriptions {
  return {
    trades: strings(m.trades),
    quotes: strings(m.quotes),
    bars: strings(m.bars),
    updatedBars: strings(m.updatedBars),
  };
}

export function parseMessage(m: unknown): StreamMessage {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    return { type: 'rejected', code: 'unknown_message', reason: 'message is not an object' };
  }
  const raw = m as Raw;
  const T = raw.T;
  switch (T) {
    case 'success':
      return { type: 'success', msg: String(raw.msg) };
    case 'subscription':
      return { type: 'subscription', subscriptions: subscriptions(raw) };
    case 'error':
      return { type: 'error', code: num(raw.code), msg: String(raw.msg ?? '') };
  }
  if (typeof T === 'string' && IGNORED_TYPES.has(T)) return { type: 'ignored' };
  if (T !== 't' && T !== 'q' && T !== 'b' && T !== 'u') {
    return { type: 'rejected', code: 'unknown_message', reason: `unknown message type ${JSON.stringify(T)}` };
  }
  const symbol = str(raw.S);
  if (symbol === null) return { type: 'rejected', code: 'invalid_record', reason: 'missing symbol' };
  const parsed =
    T === 't' ? trade(raw, symbol) : T === 'q' ? quote(raw, symbol) : bar(raw, symbol, T === 'u');
  if (typeof parsed === 'string')
    return { type: 'rejected', code: 'invalid_record', reason: `${T} ${symbol}: ${parsed}` };
  const kind = T === 't' ? 'trade' : T === 'q' ? 'quote' : 'bar';
  return { type: 'data', event: { kind, record: parsed } as MarketEvent };
}

/** Key under which a record counts as already delivered (see RecentKeys). */
export function dedupKey(e: MarketEvent): string {
  switch (e.kind) {
    case 'trade':
      return `t|${e.record.event_time}|${e.record.trade_id}|${e.record.exchange}|${e.record.price}|${e.record.size}`;
    case 'quote': {
      const q = e.record;
      return `q|${q.event_time}|${q.bid_price}|${q.bid_size}|${q.ask_price}|${q.ask_size}|${q.bid_exchange}|${q.ask_exchange}`;
    }
    case 'bar': {
      const b = e.record;
      // An update is a new record only if it changed something.
      return b.is_update
        ? `u|${b.start_time}|${b.close}|${b.high}|${b.low}|${b.volume}`
        : `b|${b.start_time}`;
    }
  }
}
