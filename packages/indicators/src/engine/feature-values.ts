import type { Bar, FeatureName, FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';

/** The 13 model features of one bar, by name. Definitions: docs/FEATURES.md. */
export type FeatureValues = Readonly<Record<FeatureName, number>>;

/** The fields of a bar the feature engine reads. */
export type FeatureBar = Pick<
  Bar,
  'start_time' | 'interval_ms' | 'high' | 'low' | 'close' | 'volume' | 'is_update'
>;

/**
 * Bars a fresh engine needs before it emits features: the MACD signal is an EMA(9) of the MACD
 * line, which starts at bar 26 and is seeded with the mean of its first 9 values, so it first
 * exists at bar 26 + 9 - 1. Every other feature is warm earlier.
 */
export const WARMUP_BARS = 26 + 9 - 1;

/**
 * Features in model input order (FEATURE_NAMES), the layout the model and training rows use.
 *
 * @example
 * const input = Float64Array.from(toFeatureArray(result.values));
 */
export function toFeatureArray(values: FeatureValues): number[] {
  return FEATURE_NAMES.map((name) => values[name]);
}

/**
 * The features.v1 record for a bar's features.
 *
 * @example
 * if (r.kind === 'features') producer.send(toFeatureVector(bar, r.values, Date.now()));
 */
export function toFeatureVector(
  bar: Pick<Bar, 'symbol' | 'start_time' | 'interval_ms' | 'close' | 'ingest_time'>,
  values: FeatureValues,
  computedTime: number,
): FeatureVector {
  return {
    symbol: bar.symbol,
    bar_time: bar.start_time,
    interval_ms: bar.interval_ms,
    feature_set_version: FEATURE_SET_VERSION,
    close: bar.close,
    ...values,
    bar_ingest_time: bar.ingest_time,
    computed_time: computedTime,
  };
}
