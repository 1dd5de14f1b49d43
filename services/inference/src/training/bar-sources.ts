import type { Bar } from '@tickstream/contracts';
import { backfillBars, createMarketSimulator, parseBarCsv, validateSymbols } from '@tickstream/marketdata';
import type { KafkaConnection, Logger } from '@tickstream/platform';
import { TickstreamError } from '@tickstream/platform';
import { readBarTopic } from './topic-bars';

/** Where training bars come from; each kind mirrors a way the platform itself gets bars. */
export type BarSource =
  | { kind: 'csv'; file: string; intervalMs: number }
  | {
      kind: 'sim';
      symbols: readonly string[];
      bars: number;
      seed: number;
      intervalMs: number;
      startTime: number;
    }
  | ({ kind: 'topic'; registryUrl: string; topicPrefix: string } & KafkaConnection)
  | {
      kind: 'alpaca';
      symbols: readonly string[];
      start: string;
      end?: string;
      timeframe: string;
      keyId: string;
      secretKey: string;
      baseUrl?: string;
      feed?: 'iex' | 'sip' | 'delayed_sip';
      /** Price adjustment for splits and dividends; daily bars over years need 'all' or 'split'. */
      adjustment?: 'raw' | 'split' | 'dividend' | 'all';
    };

/** Bars per symbol, in the order the source delivered them (the order the stream would see). */
export type BarsBySymbol = Map<string, Bar[]>;

function add(out: BarsBySymbol, bar: Bar): void {
  const list = out.get(bar.symbol);
  if (list) list.push(bar);
  else out.set(bar.symbol, [bar]);
}

/** Simulated bars stamped with their own close time, so the same options give the same bars. */
export function simulatedBars(src: Extract<BarSource, { kind: 'sim' }>): BarsBySymbol {
  const symbols = validateSymbols(src.symbols);
  const sim = createMarketSimulator({
    seed: src.seed,
    symbols,
    startTime: src.startTime,
    barIntervalMs: src.intervalMs,
  });
  const out: BarsBySymbol = new Map();
  for (const e of sim.step(src.startTime + src.bars * src.intervalMs, { barsOnly: true })) {
    if (e.kind === 'bar') add(out, { ...e.record, ingest_time: e.record.start_time + e.record.interval_ms });
  }
  return out;
}

/** Loads every bar of `src` into memory; training needs them all at once for the walk-forward splits. */
export async function loadBars(src: BarSource, log: Logger): Promise<BarsBySymbol> {
  const out: BarsBySymbol = new Map();
  switch (src.kind) {
    case 'sim':
      return simulatedBars(src);
    case 'csv': {
      let bad = 0;
      const onBadRow = (line: number, reason: string): void => {
        if (++bad <= 10) log.warn({ line, reason }, 'skipped a CSV row');
      };
      for await (const bar of parseBarCsv(src.file, { intervalMs: src.intervalMs, onBadRow, clock: () => 0 }))
        add(out, bar);
      if (bad > 0) log.warn({ bad }, 'CSV rows skipped in total');
      return out;
    }
    case 'topic':
      for (const bar of await readBarTopic(src, log)) add(out, bar);
      return out;
    case 'alpaca':
      for await (const bar of backfillBars({ ...src, clock: () => 0, logger: log })) add(out, bar);
      if (out.size === 0)
        throw new TickstreamError(
          'NO_BARS',
          `Alpaca returned no bars for ${src.symbols.join(',')} from ${src.start}`,
        );
      return out;
  }
}
