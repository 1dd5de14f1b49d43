/**
 * The model's inputs, in model input order. The order is part of the contract: features.v1
 * carries them under these names, the ONNX model reads them in this order, and changing either
 * means a new FEATURE_SET_VERSION. Definitions: docs/FEATURES.md.
 */
export const FEATURE_NAMES = [
  'ret_1',
  'ret_5',
  'sma20_dist',
  'ema12_26_spread',
  'macd_hist_norm',
  'rsi14',
  'bb_pctb',
  'bb_width',
  'atr14_pct',
  'stoch_k',
  'stoch_d',
  'vol_ratio20',
  'vwap_dist',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Version of the feature definitions; bump when any definition or the order changes. */
export const FEATURE_SET_VERSION = 'fs1';
