import type { FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import { computeFeatureSeries } from '@tickstream/indicators';
import { simulatedBars } from '../../src/training/bar-sources';

/** Feature vectors as the features service would publish them, from simulated 5 s bars, per symbol in time order. */
export function featureVectors(
  symbols: readonly string[],
  bars: number,
  seed = 3,
): Map<string, FeatureVector[]> {
  const bySymbol = simulatedBars({
    kind: 'sim',
    symbols,
    bars,
    seed,
    intervalMs: 5000,
    startTime: Date.UTC(2026, 1, 2, 14, 30),
  });
  const out = new Map<string, FeatureVector[]>();
  for (const [symbol, list] of bySymbol) {
    out.set(
      symbol,
      computeFeatureSeries(list).map((row) => {
        const v = {
          symbol,
          bar_time: row.barTime,
          interval_ms: 5000,
          feature_set_version: FEATURE_SET_VERSION,
          close: row.close,
          bar_ingest_time: row.barTime + 5000,
          computed_time: 0,
        } as FeatureVector;
        FEATURE_NAMES.forEach((name, i) => (v[name] = row.features[i] as number));
        return v;
      }),
    );
  }
  return out;
}

/** Interleaves per-symbol lists round-robin, the way a live stream of many symbols arrives. */
export function interleave<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) if (i < l.length) out.push(l[i] as T);
  return out;
}
