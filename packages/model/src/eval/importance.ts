import type { Rng } from '../forest/prng';
import { LOG_LOSS_EPS } from './metrics';

/** Held-out permutation importance: what each feature is worth to the model out of sample. */
export interface FeatureImportance {
  /** What the numbers measure. */
  metric: 'held-out log-loss increase when the feature is shuffled';
  /** Per feature, in feature order: the row-weighted mean over folds (0 or less: the model does not need it). */
  logLossIncrease: number[];
}

function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p[i] as number));
    sum -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / y.length;
}

/**
 * Shuffles one feature column of a fold's held-out rows at a time (the same permutation for every
 * feature, drawn from `rng`) and returns how much the model's log loss grows, per feature.
 * Impurity importances from the training rows would flatter features the trees overfit; this
 * asks the held-out rows instead.
 */
export function permutationLossIncrease(
  predict: (rows: Float32Array) => ArrayLike<number>,
  x: Float32Array,
  nFeatures: number,
  y: ArrayLike<number>,
  baseline: ArrayLike<number>,
  rng: Rng,
): number[] {
  const n = y.length;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
  }
  const base = logLoss(y, baseline);
  const shuffled = new Float32Array(x);
  return Array.from({ length: nFeatures }, (_, f) => {
    for (let i = 0; i < n; i++)
      shuffled[i * nFeatures + f] = x[(perm[i] as number) * nFeatures + f] as number;
    const loss = logLoss(y, predict(shuffled));
    for (let i = 0; i < n; i++) shuffled[i * nFeatures + f] = x[i * nFeatures + f] as number;
    return loss - base;
  });
}
