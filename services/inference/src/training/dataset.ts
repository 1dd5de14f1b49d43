import { FEATURE_NAMES } from '@tickstream/contracts';
import { computeFeatureSeries } from '@tickstream/indicators';
import type { Panel } from '@tickstream/model';
import type { BarsBySymbol } from './bar-sources';

export interface SymbolSummary {
  bars: number;
  /** Feature rows after the warm-up. */
  rows: number;
  firstBarTime: number | null;
  lastBarTime: number | null;
}

export interface DataSummary {
  symbols: number;
  bars: number;
  rows: number;
  /** Rows with a non-finite feature: serving would dead-letter them, so training drops them too. */
  droppedNonFinite: number;
  intervalsMs: number[];
  firstBarTime: number | null;
  lastBarTime: number | null;
  perSymbol: Record<string, SymbolSummary>;
}

export interface Dataset {
  panel: Panel & { x: Float32Array; open: number[] };
  summary: DataSummary;
  /** The panel as the bars up to `cut` (bar start time) alone give it: for the look-ahead check. */
  panelUpTo(cut: number): Panel;
}

/**
 * Feature rows of every symbol through computeFeatureSeries, the code the features service runs,
 * packed as float32 because that is what the served model receives. Symbols are taken in name
 * order so the same bars always give the same panel.
 */
export function buildDataset(bars: BarsBySymbol): Dataset {
  const width = FEATURE_NAMES.length;
  const x: number[] = [];
  const symbol: string[] = [];
  const time: number[] = [];
  const close: number[] = [];
  const open: number[] = [];
  const perSymbol: Record<string, SymbolSummary> = {};
  const intervals = new Set<number>();
  let dropped = 0;
  let barCount = 0;
  for (const s of [...bars.keys()].sort()) {
    const list = bars.get(s) ?? [];
    barCount += list.length;
    for (const b of list) intervals.add(b.interval_ms);
    let kept = 0;
    // A correction replaces its bar, so the last bar of a start time has the open that counts.
    const opens = new Map(list.map((b) => [b.start_time, b.open]));
    for (const row of computeFeatureSeries(list)) {
      if (row.features.length !== width || !row.features.every(Number.isFinite)) {
        dropped++;
        continue;
      }
      x.push(...row.features);
      symbol.push(s);
      time.push(row.barTime);
      close.push(row.close);
      open.push(opens.get(row.barTime) ?? NaN);
      kept++;
    }
    // A loop, not Math.min(...times): a year of minute bars overflows the argument list.
    let first: number | null = null;
    let last: number | null = null;
    for (const b of list) {
      if (first === null || b.start_time < first) first = b.start_time;
      if (last === null || b.start_time > last) last = b.start_time;
    }
    perSymbol[s] = { bars: list.length, rows: kept, firstBarTime: first, lastBarTime: last };
  }
  const firsts = Object.values(perSymbol).flatMap((p) => (p.firstBarTime === null ? [] : [p.firstBarTime]));
  const lasts = Object.values(perSymbol).flatMap((p) => (p.lastBarTime === null ? [] : [p.lastBarTime]));
  return {
    panel: { x: Float32Array.from(x), nFeatures: width, symbol, time, close, open },
    panelUpTo: (cut) =>
      buildDataset(new Map([...bars].map(([s, list]) => [s, list.filter((b) => b.start_time <= cut)]))).panel,
    summary: {
      symbols: bars.size,
      bars: barCount,
      rows: symbol.length,
      droppedNonFinite: dropped,
      intervalsMs: [...intervals].sort((a, b) => a - b),
      firstBarTime: firsts.length ? Math.min(...firsts) : null,
      lastBarTime: lasts.length ? Math.max(...lasts) : null,
      perSymbol,
    },
  };
}
