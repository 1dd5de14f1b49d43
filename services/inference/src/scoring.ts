import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';

/** Why a vector cannot be scored, or undefined when it can. */
export function invalidVector(v: FeatureVector): string | undefined {
  if (v.feature_set_version !== FEATURE_SET_VERSION) {
    return `feature set ${v.feature_set_version} is not the served ${FEATURE_SET_VERSION}`;
  }
  const bad = FEATURE_NAMES.filter((n) => !Number.isFinite(v[n]));
  return bad.length > 0 ? `non-finite features: ${bad.join(', ')}` : undefined;
}

/** Packs vectors into the model's float32 input, features in FEATURE_NAMES order. */
export function toRows(vectors: readonly FeatureVector[]): Float32Array {
  const width = FEATURE_NAMES.length;
  const rows = new Float32Array(vectors.length * width);
  vectors.forEach((v, i) => {
    for (let j = 0; j < width; j++) rows[i * width + j] = v[FEATURE_NAMES[j]!];
  });
  return rows;
}

export function toPrediction(v: FeatureVector, probUp: number, model: { version: string; horizon: number }, now: number): Prediction {
  return {
    symbol: v.symbol,
    bar_time: v.bar_time,
    prob_up: probUp,
    label: probUp >= 0.5 ? 'UP' : 'DOWN',
    horizon_bars: model.horizon,
    model_version: model.version,
    feature_set_version: v.feature_set_version,
    bar_ingest_time: v.bar_ingest_time,
    features_time: v.computed_time,
    predicted_time: now,
    latency_ms: now - v.computed_time,
  };
}
