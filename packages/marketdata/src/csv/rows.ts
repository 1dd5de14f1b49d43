import { isValidSymbol } from '@tickstream/contracts';
import type { Bar, MarketEvent, Quote, Trade, Unstamped } from '../events';

/** A parsed row, or why it was refused. */
export type RowResult = { event: MarketEvent } | { error: string };

/** ISO-8601 (what the CSV spec asks for) or epoch milliseconds (what NDJSON dumps often hold). */
export function parseTime(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : NaN;
}

const finite = (x: number): boolean => Number.isFinite(x);

export function checkBar(b: Unstamped<Bar>): RowResult {
  if (!isValidSymbol(b.symbol)) return { error: `invalid symbol ${JSON.stringify(b.symbol)}` };
  if (!finite(b.start_time)) return { error: 'invalid timestamp' };
  if (![b.open, b.high, b.low, b.close].every((p) => finite(p) && p > 0))
    return { error: 'prices must be positive numbers' };
  if (!finite(b.volume) || b.volume < 0) return { error: 'volume must be a non-negative number' };
  if (b.high < Math.max(b.open, b.close, b.low) || b.low > Math.min(b.open, b.close))
    return { error: 'high/low inconsistent with open/close' };
  if (b.vwap !== null && !(finite(b.vwap) && b.vwap > 0)) return { error: 'vwap must be a positive number' };
  if (b.trade_count !== null && !(Number.isInteger(b.trade_count) && b.trade_count >= 0))
    return { error: 'trade_count must be a non-negative integer' };
  return { event: { kind: 'bar', record: b } };
}

export function checkTrade(t: Unstamped<Trade>): RowResult {
  if (!isValidSymbol(t.symbol)) return { error: `invalid symbol ${JSON.stringify(t.symbol)}` };
  if (!finite(t.event_time)) return { error: 'invalid timestamp' };
  if (!(finite(t.price) && t.price > 0 && finite(t.size) && t.size > 0))
    return { error: 'price and size must be positive numbers' };
  return { event: { kind: 'trade', record: t } };
}

export function checkQuote(q: Unstamped<Quote>): RowResult {
  if (!isValidSymbol(q.symbol)) return { error: `invalid symbol ${JSON.stringify(q.symbol)}` };
  if (!finite(q.event_time)) return { error: 'invalid timestamp' };
  if (![q.bid_price, q.ask_price].every((p) => finite(p) && p > 0))
    return { error: 'prices must be positive numbers' };
  if (![q.bid_size, q.ask_size].every((s) => finite(s) && s >= 0))
    return { error: 'sizes must be non-negative numbers' };
  if (q.bid_price > q.ask_price) return { error: `crossed quote: bid ${q.bid_price} > ask ${q.ask_price}` };
  return { event: { kind: 'quote', record: q } };
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
const optNum = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : num(v));
const optStr = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * One NDJSON line: the contract's own field names; `type` (bar | trade | quote) may be left out
 * when the shape says it (open, price, bid_price). Times are ISO-8601 strings or epoch ms.
 */
export function parseNdjsonRecord(line: string, defaultIntervalMs: number): RowResult {
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'not a JSON object' };
    o = v as Record<string, unknown>;
  } catch {
    return { error: 'invalid JSON' };
  }
  const type =
    o.type ?? ('open' in o ? 'bar' : 'price' in o ? 'trade' : 'bid_price' in o ? 'quote' : undefined);
  const symbol = String(o.symbol ?? '');
  if (type === 'bar') {
    return checkBar({
      symbol,
      start_time: parseTime(o.start_time ?? o.timestamp),
      interval_ms: num(o.interval_ms ?? defaultIntervalMs),
      open: num(o.open),
      high: num(o.high),
      low: num(o.low),
      close: num(o.close),
      volume: num(o.volume),
      trade_count: optNum(o.trade_count),
      vwap: optNum(o.vwap),
      is_update: o.is_update === true,
      source: 'replay',
    });
  }
  const event_time = parseTime(o.event_time ?? o.timestamp);
  const common = {
    symbol,
    event_time,
    conditions: strs(o.conditions),
    tape: optStr(o.tape),
    source: 'replay',
  };
  if (type === 'trade') {
    return checkTrade({
      ...common,
      price: num(o.price),
      size: num(o.size),
      trade_id: optStr(o.trade_id),
      exchange: optStr(o.exchange),
    });
  }
  if (type === 'quote') {
    return checkQuote({
      ...common,
      bid_price: num(o.bid_price),
      bid_size: num(o.bid_size),
      ask_price: num(o.ask_price),
      ask_size: num(o.ask_size),
      bid_exchange: optStr(o.bid_exchange),
      ask_exchange: optStr(o.ask_exchange),
    });
  }
  return { error: `unknown record type ${JSON.stringify(type)}` };
}
