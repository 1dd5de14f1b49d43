import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Bar, Clock, Unstamped } from '../events';
import type { RowResult } from './rows';
import { checkBar, parseTime } from './rows';

/** A path, or a stream (e.g. stdin or a decompressed download). */
export type LineInput = string | Readable;

export type BadRowHook = (line: number, reason: string) => void;

/** Streams lines with 1-based line numbers; the file is never held in memory. */
export async function* readLines(input: LineInput): AsyncGenerator<{ line: number; text: string }> {
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8' }) : input;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) yield { line: ++line, text };
  } finally {
    rl.close();
    if (typeof input === 'string') stream.destroy();
  }
}

const REQUIRED = ['symbol', 'timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Parses bar CSV rows: header `symbol,timestamp,open,high,low,close,volume` in any column order,
 * optionally vwap and trade_count; other columns are ignored. Fields are plain (no quoting:
 * tickers and numbers never need it). Returns a row parser, or throws on a bad header.
 */
export function barCsvRowParser(header: string, intervalMs: number): (text: string) => RowResult {
  const cols = header.split(',').map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length > 0) throw new Error(`CSV header lacks ${missing.join(', ')}`);
  const at = (name: string): number => cols.indexOf(name);
  const [iSym, iTs, iO, iH, iL, iC, iV, iVw, iN] = [...REQUIRED, 'vwap', 'trade_count'].map(at) as number[];
  return (text) => {
    const f = text.split(',').map((x) => x.trim());
    if (f.length !== cols.length) return { error: `expected ${cols.length} fields, got ${f.length}` };
    const get = (i: number | undefined): string => (i === undefined || i < 0 ? '' : (f[i] ?? ''));
    const n = (i: number | undefined): number => (get(i) === '' ? NaN : Number(get(i)));
    const opt = (i: number | undefined): number | null => (get(i) === '' ? null : Number(get(i)));
    return checkBar({
      symbol: get(iSym),
      start_time: parseTime(get(iTs)),
      interval_ms: intervalMs,
      open: n(iO),
      high: n(iH),
      low: n(iL),
      close: n(iC),
      volume: n(iV),
      vwap: opt(iVw),
      trade_count: opt(iN),
      is_update: false,
      source: 'replay',
    });
  };
}

export interface ParseBarCsvOptions {
  /** Bar length; CSV rows do not carry it. Default 60000. */
  intervalMs?: number;
  /** Called for each refused row; the row is skipped. */
  onBadRow?: BadRowHook;
  /** Stamps ingest_time. Default Date.now. */
  clock?: Clock;
}

/** Bars of a CSV file as Unstamped records; shared by the replay source and parseBarCsv. */
export async function* readBarCsv(
  input: LineInput,
  opts: ParseBarCsvOptions = {},
): AsyncGenerator<Unstamped<Bar>> {
  let parse: ((text: string) => RowResult) | undefined;
  for await (const { line, text } of readLines(input)) {
    if (text.trim() === '') continue;
    if (!parse) {
      parse = barCsvRowParser(text, opts.intervalMs ?? 60_000);
      continue;
    }
    const r = parse(text);
    if ('error' in r) opts.onBadRow?.(line, r.error);
    else if (r.event.kind === 'bar') yield r.event.record;
  }
}

/**
 * Streams the bars of a CSV file, skipping (and reporting) invalid rows. For training and tools.
 *
 * @example
 *   for await (const bar of parseBarCsv('data/spy-2025.csv', { onBadRow: (n, why) => warn(n, why) })) use(bar);
 */
export async function* parseBarCsv(input: LineInput, opts: ParseBarCsvOptions = {}): AsyncGenerator<Bar> {
  const clock = opts.clock ?? Date.now;
  for await (const bar of readBarCsv(input, opts)) yield { ...bar, ingest_time: clock() };
}
