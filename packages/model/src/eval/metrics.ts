export interface CalibrationBin {
  /** Predictions in [lower, upper); the last bin includes 1. */
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface Metrics {
  n: number;
  positiveRate: number;
  /** Hard predictions are P(up) > 0.5. */
  accuracy: number;
  /** Mean recall over the classes present. */
  balancedAccuracy: number;
  /** null when only one class is present. */
  auc: number | null;
  logLoss: number;
  brier: number;
  calibration: CalibrationBin[];
}

/** Probabilities are clipped so one confident miss costs a lot, not Infinity. */
export const LOG_LOSS_EPS = 1e-15;

/** ROC AUC as the Mann-Whitney statistic; tied scores share their average rank (a tie counts 1/2). */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number | null {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && p[order[j + 1] as number] === p[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[order[k] as number] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function calibrationTable(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const pi = p[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(pi * bins)));
    count[b] = (count[b] as number) + 1;
    sumP[b] = (sumP[b] as number) + pi;
    sumY[b] = (sumY[b] as number) + (y[i] as number);
  }
  return Array.from(count, (c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanPredicted: c ? (sumP[b] as number) / c : null,
    observedRate: c ? (sumY[b] as number) / c : null,
  }));
}

/**
 * All held-out metrics for labels `y` (0/1) and predicted P(1) `p`.
 *
 * @example
 *   binaryMetrics([0, 1, 1], [0.2, 0.6, 0.4]).accuracy; // 2/3
 */
export function binaryMetrics(y: ArrayLike<number>, p: ArrayLike<number>): Metrics {
  const n = y.length;
  if (n === 0 || p.length !== n)
    throw new RangeError(`need matching non-empty arrays, got ${n} labels and ${p.length} predictions`);
  let tp = 0;
  let tn = 0;
  let positives = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i] as number;
    const pi = p[i] as number;
    const hit = pi > 0.5 ? yi === 1 : yi === 0;
    positives += yi;
    if (hit && yi === 1) tp++;
    if (hit && yi === 0) tn++;
    const clipped = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, pi));
    logLoss -= yi === 1 ? Math.log(clipped) : Math.log(1 - clipped);
    brier += (pi - yi) ** 2;
  }
  const negatives = n - positives;
  const recalls = [positives ? tp / positives : null, negatives ? tn / negatives : null].filter(
    (r) => r !== null,
  );
  return {
    n,
    positiveRate: positives / n,
    accuracy: (tp + tn) / n,
    balancedAccuracy: recalls.reduce((a, b) => a + b, 0) / recalls.length,
    auc: rocAuc(y, p),
    logLoss: logLoss / n,
    brier: brier / n,
    calibration: calibrationTable(y, p),
  };
}
