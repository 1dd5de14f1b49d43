import type { FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import { computeFeatureSeries } from '@tickstream/indicators';
import { simulatedBars } from '../../services/inference/src/training/bar-sources';

/** Feature vectors of simulated 5 s bars, as the features service would publish them. */
export function benchVectors(symbols: readonly string[], bars: number): FeatureVector[] {
  const bySymbol = simulatedBars({
    kind: 'sim',
    symbols,
    bars,
    seed: 11,
    intervalMs: 5000,
    startTime: Date.UTC(2026, 1, 2, 14, 30),
  });
  const out: FeatureVector[] = [];
  for (const [symbol, list] of bySymbol) {
    for (const row of computeFeatureSeries(list)) {
      const v = {
        symbol,
        bar_time: row.barTime,
        interval_ms: 5000,
        feature_set_version: FEATURE_SET_VERSION,
        close: row.close,
        bar_ingest_time: row.barTime,
        computed_time: 0,
      } as FeatureVector;
      FEATURE_NAMES.forEach((name, i) => (v[name] = row.features[i] as number));
      out.push(v);
    }
  }
  return out;
}
