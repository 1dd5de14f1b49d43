import { TickstreamError } from '@tickstream/platform';
import { createRejectCounter } from '../sampled-log';
import { validateSymbols } from '@tickstream/marketdata';
import type { MarketEvent, MarketSource, SourceOptions, SourceState } from '../types';
import { deliver, eventTime, silentLogger } from '../types';
import type { BadRowHook } from '@tickstream/marketdata';
import { barCsvRowParser, readLines } from '@tickstream/marketdata';
import type { RowResult } from '@tickstream/marketdata';
import { parseNdjsonRecord } from '@tickstream/marketdata';

export interface ReplaySourceOptions extends SourceOptions {
  /**
   * CSV (bars) or NDJSON (bars, trades, quotes) files, by extension (.csv, .ndjson, .jsonl).
   * Each file must be sorted by time: files are merged in time order, and a row going back in
   * time is published at once rather than dropped (counted as out of order).
   */
  files: readonly string[];
  /** 1 = real time, N = N times faster, 'max' = as fast as the sink takes them. Default 1. */
  speed?: number | 'max';
  /** Only these symbols are published; empty or absent = every symbol in the files. */
  symbols?: readonly string[];
  /** Bar length for CSV rows, which do not carry it. Default 60000. */
  intervalMs?: number;
}

export interface ReplayStats {
  delivered: number;
  badRows: number;
  outOfOrder: number;
  filtered: number;
}

export interface ReplaySource extends MarketSource {
  /** Resolves when every file has been replayed (or the source stopped). */
  done(): Promise<ReplayStats>;
  stats(): ReplayStats;
}

async function* readEvents(
  file: string,
  intervalMs: number,
  onBadRow: BadRowHook,
): AsyncGenerator<MarketEvent> {
  const csv = file.toLowerCase().endsWith('.csv');
  let parse: ((text: string) => RowResult) | undefined = csv
    ? undefined
    : (text) => parseNdjsonRecord(text, intervalMs);
  for await (const { line, text } of readLines(file)) {
    if (text.trim() === '') continue;
    if (!parse) {
      parse = barCsvRowParser(text, intervalMs);
      continue;
    }
    const r = parse(text);
    if ('error' in r) onBadRow(line, r.error);
    else yield r.event;
  }
}

export function createReplaySource(opts: ReplaySourceOptions): ReplaySource {
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? silentLogger;
  const speed = opts.speed ?? 1;
  if (speed !== 'max' && !(speed > 0))
    throw new TickstreamError('CONFIG_INVALID', `replay speed must be > 0 or 'max', got ${speed}`);
  // A file's first bad rows are each worth a line (someone will fix the file); after that, a sample.
  const rejects = createRejectCounter(logger, opts.onError, 1000, 50);
  const stats: ReplayStats = { delivered: 0, badRows: 0, outOfOrder: 0, filtered: 0 };
  let wanted = new Set(validateSymbols(opts.symbols ?? []));
  let state: SourceState = 'idle';
  let finished: Promise<ReplayStats> | undefined;
  let wake: (() => void) | undefined;
  // At 1x a gap between records can last minutes; stop() must not wait for it.
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const setState = (next: SourceState, detail?: string): void => {
    state = next;
    opts.onStateChange?.(next, detail);
  };
  const active = (): boolean => state === 'running';

  async function run(): Promise<void> {
    const sources = opts.files.map((file) =>
      readEvents(file, opts.intervalMs ?? 60_000, (line, reason) => {
        stats.badRows += 1;
        rejects.reject('bad_row', `replay: ${file}:${line}: ${reason}`, { file, line });
      }),
    );
    const heads = await Promise.all(sources.map((s) => s.next()));
    const last = sources.map(() => -Infinity);
    let anchor: { market: number; wall: number } | undefined;
    while (active()) {
      let i = -1;
      heads.forEach((h, k) => {
        const best = i < 0 ? undefined : heads[i];
        if (!h.done && (!best || best.done || eventTime(h.value) < eventTime(best.value))) i = k;
      });
      const head = heads[i];
      if (!head || head.done) break;
      const e = head.value;
      const t = eventTime(e);
      if (t < (last[i] ?? -Infinity)) stats.outOfOrder += 1;
      last[i] = Math.max(last[i] ?? -Infinity, t);
      if (wanted.size > 0 && !wanted.has(e.record.symbol)) {
        stats.filtered += 1;
      } else {
        anchor ??= { market: t, wall: clock() };
        if (speed === 'max') {
          // Let the sink's I/O and stop() run now and then.
          if (stats.delivered % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
        } else {
          const wait = anchor.wall + (t - anchor.market) / speed - clock();
          if (wait > 1) await pause(wait);
        }
        if (!active()) break;
        deliver(opts.sink, e, clock());
        stats.delivered += 1;
      }
      heads[i] = await sources[i]!.next();
    }
    await Promise.all(sources.map((s) => s.return(undefined)));
  }

  const source: ReplaySource = {
    name: 'replay',
    get state() {
      return state;
    },
    async start() {
      if (state !== 'idle') return;
      setState('running');
      logger.info({ files: opts.files, speed }, 'replay source running');
      finished = run().then(
        () => {
          if (state === 'running' || state === 'stopping') setState('stopped', 'end of files');
          logger.info({ ...stats }, 'replay finished');
          return { ...stats };
        },
        (err: unknown) => {
          setState('failed', (err as Error).message);
          logger.error({ err }, 'replay failed');
          return { ...stats };
        },
      );
    },
    async stop() {
      if (state === 'running') setState('stopping');
      wake?.();
      await finished;
      if (state === 'stopping' || state === 'idle') setState('stopped');
    },
    async setSymbols(symbols) {
      wanted = new Set(validateSymbols(symbols));
    },
    done: () => finished ?? Promise.resolve({ ...stats }),
    stats: () => ({ ...stats }),
  };
  return source;
}
