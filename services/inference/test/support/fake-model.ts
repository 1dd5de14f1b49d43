import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import { prom } from '@tickstream/platform';
import { inferenceMetrics } from '../../src/metrics';
import type { ModelScorer } from '../../src/scoring';

/** A scorable vector of `symbol` whose features are all `value`. */
export function flatVector(symbol: string, value = 0.1): FeatureVector {
  const v = {
    symbol,
    bar_time: 1000,
    interval_ms: 5000,
    feature_set_version: FEATURE_SET_VERSION,
    close: 10,
    bar_ingest_time: 1001,
    computed_time: 1002,
  } as FeatureVector;
  for (const name of FEATURE_NAMES) v[name] = value;
  return v;
}

/**
 * A model that answers each row's first feature as its probability, and records the row count
 * of every call: enough to check chunking and order without onnxruntime.
 */
export function echoModel(version = 'm1'): ModelScorer & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    current: { version },
    score: async (rows, n) => {
      calls.push(n);
      const width = rows.length / n;
      return {
        model: { version, horizon: 5 },
        probUp: Float32Array.from({ length: n }, (_, i) => rows[i * width]!),
      };
    },
  };
}

export function freshMetrics() {
  return inferenceMetrics(new prom.Registry());
}

/** A prediction cache in memory. */
export function memoryCache(): {
  map: Map<string, Prediction>;
  get(symbols: readonly string[]): Promise<Map<string, Prediction>>;
  put(predictions: readonly Prediction[]): Promise<void>;
} {
  const map = new Map<string, Prediction>();
  return {
    map,
    get: async (symbols) => new Map(symbols.filter((s) => map.has(s)).map((s) => [s, map.get(s)!] as const)),
    put: async (predictions) => {
      for (const p of predictions) map.set(p.symbol, p);
    },
  };
}
