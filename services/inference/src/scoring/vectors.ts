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

/**
 * Packs vectors into the model's float32 input, features in FEATURE_NAMES order. Spelled out
 * field by field: a lookup by name per feature (v[FEATURE_NAMES[j]]) cost a fifth of a
 * 256-row batch's scoring time; test/scoring/vectors.test.ts checks the order against FEATURE_NAMES.
 */
export function toRows(vectors: readonly FeatureVector[]): Float32Array {
  const rows = new Float32Array(vectors.length * FEATURE_NAMES.length);
  let o = 0;
  for (const v of vectors) {
    rows[o++] = v.ret_1;
    rows[o++] = v.ret_5;
    rows[o++] = v.sma20_dist;
    rows[o++] = v.ema12_26_spread;
    rows[o++] = v.macd_hist_norm;
    rows[o++] = v.rsi14;
    rows[o++] = v.bb_pctb;
    rows[o++] = v.bb_width;
    rows[o++] = v.atr14_pct;
    rows[o++] = v.stoch_k;
    rows[o++] = v.stoch_d;
    rows[o++] = v.vol_ratio20;
    rows[o++] = v.vwap_dist;
  }
  return rows;
}

export function toPrediction(
  v: FeatureVector,
  probUp: number,
  model: { version: string; horizon: number },
  now: number,
): Prediction {
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
