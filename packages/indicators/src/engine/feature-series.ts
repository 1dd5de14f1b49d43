import { FeatureEngine } from './feature-engine';
import type { FeatureBar } from './feature-values';
import { toFeatureArray } from './feature-values';

export interface FeatureRow {
  readonly barTime: number;
  readonly close: number;
  /** In FEATURE_NAMES order. */
  readonly features: number[];
}

/**
 * Feature rows for a bar series of one symbol, exactly as the streaming engine computes them
 * (the same code, the same duplicate/late/correction rules), so that training sees what
 * inference sees. A correction replaces the row of its bar. Invalid bars are skipped, as the
 * service skips them.
 *
 * @example
 * const rows = computeFeatureSeries(barsOfAapl);
 * const X = rows.map((r) => r.features);
 */
export function computeFeatureSeries(bars: Iterable<FeatureBar>): FeatureRow[] {
  const engine = new FeatureEngine();
  const rows: FeatureRow[] = [];
  for (const bar of bars) {
    const r = engine.onBar(bar);
    if (r.kind !== 'features') continue;
    const row = { barTime: r.barTime, close: bar.close, features: toFeatureArray(r.values) };
    if (r.corrected && rows.at(-1)?.barTime === r.barTime) rows[rows.length - 1] = row;
    else rows.push(row);
  }
  return rows;
}
