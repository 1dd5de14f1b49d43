import { sharpeOf } from '../backtest/performance';
import type { Strategy } from '../backtest/run';
import { createRng } from '../forest/prng';
import type { Contender } from './types';

const CONTENDERS: readonly Contender[] = ['model', 'majority', 'previousDirection'];
const BASELINES = ['majority', 'previousDirection'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface BootstrapOptions {
  /** Resamples; 0 skips the bootstrap (and then the promotion rule cannot pass). */
  resamples: number;
  seed: number;
  /** Bars per block; default max(2 x horizon, cube root of a fold's bar count). */
  blockBars?: number;
}

export const DEFAULT_BOOTSTRAP: Readonly<BootstrapOptions> = Object.freeze({ resamples: 1000, seed: 1 });

/** A 95 % percentile interval around the figure on the data as it is. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** One figure over the folds: how much it moves from one period to the next. */
export interface Spread {
  folds: number;
  mean: number;
  /** Sample standard deviation over the folds (0 for one fold). */
  sd: number;
  min: number;
  max: number;
}

export interface Bootstrap {
  resamples: number;
  seed: number;
  blockBars: number;
  level: 0.95;
  accuracy: Record<Contender, Interval>;
  /** The mean of per-fold AUCs (see EvaluationReport.uncertainty); null where a fold lacks a class throughout. */
  auc: Record<Contender, Interval | null>;
  /** Model minus baseline, paired on the same resampled bars: what the promotion rule reads. */
  balancedAccuracyGain: Record<Baseline, Interval>;
  /** Sharpe of each strategy's pooled backtest; absent without a backtest. */
  sharpe?: Record<Strategy, Interval | null>;
}

/** One fold's held-out rows and backtest, indexed by the fold's distinct bar times. */
export interface FoldSample {
  /** Number of distinct bar times in the fold's test window. */
  nTimes: number;
  /** For each labelled row, the index of its bar time. */
  rowTime: Int32Array;
  y: ArrayLike<number>;
  scores: Record<Contender, ArrayLike<number>>;
  /** Each strategy's portfolio returns and the time index of each. */
  tracks?: Record<Strategy, { timeIndex: Int32Array; ret: ArrayLike<number> }>;
}

export function spreadOf(values: readonly (number | null)[]): Spread | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { folds: v.length, mean, sd, min: Math.min(...v), max: Math.max(...v) };
}

/**
 * Moving-block draw counts: blocks of `block` consecutive bar times, started uniformly, until
 * `n` times are drawn (the last block cut short). Consecutive bars stay together, so the
 * overlap of horizon-long labels and any volatility clustering survive the resampling.
 */
function blockCounts(n: number, block: number, rng: { int(n: number): number }): Float64Array {
  const counts = new Float64Array(n);
  const b = Math.min(block, n);
  for (let drawn = 0; drawn < n;) {
    const start = rng.int(n - b + 1);
    for (let k = 0; k < b && drawn < n; k++, drawn++) counts[start + k] = (counts[start + k] as number) + 1;
  }
  return counts;
}

/** ROC AUC with row weights, ties counting one half; `order` sorts the rows by score. */
function weightedAuc(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  w: ArrayLike<number>,
  order: Int32Array,
): number | null {
  let negBelow = 0;
  let num = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let wp = 0;
    let wn = 0;
    const score = p[order[i] as number];
    for (; j < order.length && p[order[j] as number] === score; j++) {
      const r = order[j] as number;
      if (y[r] === 1) wp += w[r] as number;
      else wn += w[r] as number;
    }
    num += wp * negBelow + 0.5 * wp * wn;
    negBelow += wn;
    pos += wp;
    neg += wn;
    i = j;
  }
  return pos > 0 && neg > 0 ? num / (pos * neg) : null;
}

interface Counts {
  correct: number;
  total: number;
  tp: number;
  pos: number;
  tn: number;
  neg: number;
}

function balanced(c: Counts): number {
  const recalls = [c.pos > 0 ? c.tp / c.pos : null, c.neg > 0 ? c.tn / c.neg : null].filter(
    (r): r is number => r !== null,
  );
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/** Every figure of one (re)sample, from per-time weights of each fold. */
function figures(
  folds: readonly FoldSample[],
  weights: readonly Float64Array[],
  orders: Record<Contender, Int32Array>[],
  barsPerYear: number,
) {
  const counts = Object.fromEntries(
    CONTENDERS.map((c) => [c, { correct: 0, total: 0, tp: 0, pos: 0, tn: 0, neg: 0 }]),
  ) as Record<Contender, Counts>;
  const aucs = Object.fromEntries(CONTENDERS.map((c) => [c, [] as number[]])) as Record<Contender, number[]>;
  let aucMissing = false;
  const sharpeRet: Record<string, number[]> = {};
  const sharpeW: Record<string, number[]> = {};
  folds.forEach((f, k) => {
    const tw = weights[k] as Float64Array;
    const w = Float64Array.from(f.rowTime, (t) => tw[t] as number);
    for (const c of CONTENDERS) {
      const s = f.scores[c];
      const acc = counts[c];
      for (let r = 0; r < w.length; r++) {
        const wr = w[r] as number;
        if (wr === 0) continue;
        const up = f.y[r] === 1;
        const hit = (s[r] as number) > 0.5 === up;
        acc.total += wr;
        if (hit) acc.correct += wr;
        if (up) {
          acc.pos += wr;
          if (hit) acc.tp += wr;
        } else {
          acc.neg += wr;
          if (hit) acc.tn += wr;
        }
      }
      const auc = weightedAuc(f.y, s, w, orders[k]![c]);
      if (auc === null) aucMissing = true;
      else aucs[c].push(auc);
    }
    if (f.tracks)
      for (const [s, t] of Object.entries(f.tracks)) {
        (sharpeRet[s] ??= []).push(...Array.from(t.ret));
        (sharpeW[s] ??= []).push(...Array.from(t.timeIndex, (i) => tw[i] as number));
      }
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    accuracy: Object.fromEntries(CONTENDERS.map((c) => [c, counts[c].correct / counts[c].total])) as Record<
      Contender,
      number
    >,
    balanced: Object.fromEntries(CONTENDERS.map((c) => [c, balanced(counts[c])])) as Record<
      Contender,
      number
    >,
    auc: Object.fromEntries(CONTENDERS.map((c) => [c, aucMissing ? null : mean(aucs[c])])) as Record<
      Contender,
      number | null
    >,
    sharpe: Object.fromEntries(
      Object.keys(sharpeRet).map((s) => [s, sharpeOf(sharpeRet[s]!, barsPerYear, sharpeW[s])]),
    ) as Record<Strategy, number | null>,
  };
}

function percentile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function interval(estimate: number, draws: number[]): Interval {
  const sorted = draws.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { estimate, lower: NaN, upper: NaN };
  return { estimate, lower: percentile(sorted, 0.025), upper: percentile(sorted, 0.975) };
}

/**
 * Block bootstrap over time, stratified by fold: each resample redraws each fold's bar times in
 * blocks and weights every held-out row and every backtest bar by how often its time was drawn,
 * so all symbols at a moment move together. Deterministic for a seed.
 *
 * @example
 *   blockBootstrap(samples, { resamples: 1000, seed: 1 }, 5, 252).balancedAccuracyGain.majority.lower;
 */
export function blockBootstrap(
  folds: readonly FoldSample[],
  opts: BootstrapOptions,
  horizon: number,
  barsPerYear: number,
): Bootstrap {
  const meanTimes = folds.reduce((a, f) => a + f.nTimes, 0) / Math.max(1, folds.length);
  const blockBars = opts.blockBars ?? Math.max(2 * horizon, Math.ceil(Math.cbrt(meanTimes)));
  const orders = folds.map(
    (f) =>
      Object.fromEntries(
        CONTENDERS.map((c) => [
          c,
          Int32Array.from({ length: f.rowTime.length }, (_, i) => i).sort(
            (a, b) => (f.scores[c][a] as number) - (f.scores[c][b] as number),
          ),
        ]),
      ) as Record<Contender, Int32Array>,
  );
  const point = figures(
    folds,
    folds.map((f) => new Float64Array(f.nTimes).fill(1)),
    orders,
    barsPerYear,
  );
  const rng = createRng(opts.seed);
  const draws = {
    accuracy: Object.fromEntries(CONTENDERS.map((c) => [c, [] as number[]])) as Record<Contender, number[]>,
    auc: Object.fromEntries(CONTENDERS.map((c) => [c, [] as number[]])) as Record<Contender, number[]>,
    gain: { majority: [] as number[], previousDirection: [] as number[] },
    sharpe: {} as Record<string, number[]>,
  };
  for (let b = 0; b < opts.resamples; b++) {
    const f = figures(
      folds,
      folds.map((fold) => blockCounts(fold.nTimes, blockBars, rng)),
      orders,
      barsPerYear,
    );
    for (const c of CONTENDERS) {
      draws.accuracy[c].push(f.accuracy[c]);
      if (f.auc[c] !== null) draws.auc[c].push(f.auc[c]);
    }
    for (const base of BASELINES) draws.gain[base].push(f.balanced.model - f.balanced[base]);
    for (const [s, v] of Object.entries(f.sharpe)) if (v !== null) (draws.sharpe[s] ??= []).push(v);
  }
  const hasTracks = folds.some((f) => f.tracks);
  return {
    resamples: opts.resamples,
    seed: opts.seed,
    blockBars,
    level: 0.95,
    accuracy: Object.fromEntries(
      CONTENDERS.map((c) => [c, interval(point.accuracy[c], draws.accuracy[c])]),
    ) as Record<Contender, Interval>,
    auc: Object.fromEntries(
      CONTENDERS.map((c) => [c, point.auc[c] === null ? null : interval(point.auc[c], draws.auc[c])]),
    ) as Record<Contender, Interval | null>,
    balancedAccuracyGain: {
      majority: interval(point.balanced.model - point.balanced.majority, draws.gain.majority),
      previousDirection: interval(
        point.balanced.model - point.balanced.previousDirection,
        draws.gain.previousDirection,
      ),
    },
    ...(hasTracks
      ? {
          sharpe: Object.fromEntries(
            Object.entries(point.sharpe).map(([s, v]) => [
              s,
              v === null ? null : interval(v, draws.sharpe[s] ?? []),
            ]),
          ) as Record<Strategy, Interval | null>,
        }
      : {}),
  };
}
