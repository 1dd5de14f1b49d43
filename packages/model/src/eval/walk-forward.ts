import type { BacktestReport } from '../backtest/run';
import { runBacktest } from '../backtest/run';
import type { LookAheadCheck } from '../backtest/lookahead';
import { checkNoLookAhead } from '../backtest/lookahead';
import type { BacktestOptions } from '../backtest/simulate';
import { DEFAULT_BACKTEST } from '../backtest/simulate';
import { predictProba, trainForest } from '../forest/forest';
import { createRng } from '../forest/prng';
import type { FeatureRows, ForestParams, TrainingData } from '../forest/types';
import { binaryMetrics } from './metrics';
import { lookAheadCuts, walkForwardPlan } from './plan';
import { symbolSeries } from './series';
import type { IndexedSample, Uncertainty } from './summary';
import { summariseUncertainty } from './summary';
import type { Contender, FoldReport, Scores } from './types';
import type { FeatureImportance } from './importance';
import { permutationLossIncrease } from './importance';
import type { BootstrapOptions } from './uncertainty';
import { DEFAULT_BOOTSTRAP } from './uncertainty';

export type { Contender, FoldReport, Scores } from './types';
export type { Uncertainty } from './summary';
export type { WalkForwardPlan } from './plan';
export { walkForwardPlan } from './plan';

/** Bars of many symbols: feature rows plus, per row, its symbol, bar time and close. */
export interface Panel {
  x: FeatureRows;
  nFeatures: number;
  symbol: ArrayLike<string>;
  time: ArrayLike<number>;
  close: ArrayLike<number>;
  /** Each bar's open, where the backtest fills; without it there is no backtest. */
  open?: ArrayLike<number>;
}

/** Trains on one fold and returns a scorer for row-major float32 rows (P(up) per row). */
export type Fit = (train: TrainingData) => Promise<(rows: Float32Array) => ArrayLike<number>>;

export interface WalkForwardOptions {
  horizon: number;
  neutralBand: number;
  folds: number;
  forest: Partial<ForestParams>;
  /** How to train a fold; defaults to trainForest on this thread with `forest`. */
  fit?: Fit;
  /** The trading rule and costs of the backtest (needs `panel.open`). */
  backtest: Partial<BacktestOptions>;
  /** Confidence intervals by block bootstrap over time. */
  bootstrap: Partial<BootstrapOptions>;
  /** Held-out permutation importance (one more scoring of the test rows per feature and fold). */
  importance: boolean;
  /**
   * The same panel rebuilt from the bars up to a time only. Given, the evaluation first checks
   * that no feature changes when later bars are removed (checkNoLookAhead) and refuses with
   * LOOKAHEAD if one does; the report records what was compared.
   */
  pointInTime?: (cut: number) => Panel;
}

export const DEFAULT_WALK_FORWARD: Readonly<Omit<WalkForwardOptions, 'fit' | 'pointInTime'>> = Object.freeze({
  horizon: 5,
  neutralBand: 0,
  folds: 5,
  forest: {},
  backtest: {},
  bootstrap: {},
  importance: true,
});

export interface EvaluationReport {
  horizon: number;
  neutralBand: number;
  embargo: number;
  folds: FoldReport[];
  /** All held-out rows of all folds together: what promotion is decided on. */
  pooled: Scores;
  perSymbol: Record<string, Scores>;
  uncertainty: Uncertainty;
  /** Absent when switched off. */
  importance?: FeatureImportance;
  /** Trading the held-out signal, fold by fold; absent when the panel has no opens. */
  backtest?: BacktestReport;
  /** The point-in-time check of the features; null when no rebuild function was given. */
  lookAhead: LookAheadCheck | null;
}

function gather(x: FeatureRows, nFeatures: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * nFeatures);
  rows.forEach((r, k) => out.set(x.subarray(r * nFeatures, (r + 1) * nFeatures), k * nFeatures));
  return out;
}

/**
 * Baselines fitted on the training fold only. Majority: the training up-rate for every row (its
 * hard call is the majority class). Previous direction: the training up-rate among rows whose
 * last-horizon return had the same sign (Laplace-smoothed), so momentum or reversal, whichever
 * the training data favours; rows without a previous return get the overall rate.
 */
function baselineScores(y: Int8Array, previous: Int8Array, train: Int32Array, test: Int32Array) {
  const up = [1, 1];
  const seen = [2, 2];
  let total = 0;
  for (const r of train) {
    total += y[r] as number;
    const d = previous[r] as number;
    if (d >= 0) {
      up[d] = (up[d] as number) + (y[r] as number);
      seen[d] = (seen[d] as number) + 1;
    }
  }
  const rate = total / train.length;
  const majority = Float64Array.from(test, () => rate);
  const prev = Float64Array.from(test, (r) => {
    const d = previous[r] as number;
    return d >= 0 ? (up[d] as number) / (seen[d] as number) : rate;
  });
  return { majority, previousDirection: prev };
}

/**
 * Walk-forward evaluation of the forest against two baselines, never training on the future:
 * labels are the direction of the close `horizon` bars ahead, folds are cut by time with an
 * embargo of `horizon` bars, and baselines see the same training rows as the model.
 */
export async function evaluateWalkForward(
  panel: Panel,
  options: Partial<WalkForwardOptions> = {},
): Promise<EvaluationReport> {
  const opts = { ...DEFAULT_WALK_FORWARD, ...options };
  const { x, nFeatures, symbol, time } = panel;
  const fit: Fit =
    opts.fit ??
    (async (data) => {
      const forest = trainForest(data, opts.forest);
      return (rows) => predictProba(forest, rows);
    });
  const { y, previous, splits, windows } = walkForwardPlan(panel, opts);
  const lookAhead = opts.pointInTime
    ? checkNoLookAhead(panel, opts.pointInTime, lookAheadCuts(time, windows))
    : null;
  // Held-out P(up) of every row of every test window; the metrics read the labelled ones.
  const prob = new Float64Array(time.length).fill(NaN);

  const held: Record<Contender | 'y' | 'row', number[]> = {
    model: [],
    majority: [],
    previousDirection: [],
    y: [],
    row: [],
  };
  const folds: FoldReport[] = [];
  const bootstrapOptions = { ...DEFAULT_BOOTSTRAP, ...opts.bootstrap };
  const importanceRng = createRng(bootstrapOptions.seed);
  const lossIncrease = new Float64Array(nFeatures);
  const samples: IndexedSample[] = [];
  for (const split of splits) {
    const train = {
      x: gather(x, nFeatures, split.train),
      y: Int8Array.from(split.train, (r) => y[r] as number),
    };
    const predict = await fit({ ...train, nRows: split.train.length, nFeatures });
    const window = windows[folds.length]!.test;
    const scored = predict(gather(x, nFeatures, window));
    window.forEach((r, k) => (prob[r] = scored[k] as number));
    const model = Array.from(split.test, (r) => prob[r] as number);
    const base = baselineScores(y, previous, split.train, split.test);
    const yTest = Array.from(split.test, (r) => y[r] as number);
    if (opts.importance)
      permutationLossIncrease(
        predict,
        gather(x, nFeatures, split.test),
        nFeatures,
        yTest,
        model,
        importanceRng,
      ).forEach((v, f) => (lossIncrease[f] = (lossIncrease[f] as number) + v * split.test.length));
    split.test.forEach((r, k) => {
      held.model.push(model[k] as number);
      held.majority.push(base.majority[k] as number);
      held.previousDirection.push(base.previousDirection[k] as number);
      held.y.push(yTest[k] as number);
      held.row.push(r);
    });
    const distinct = [...new Set(Array.from(window, (r) => time[r] as number))].sort((a, b) => a - b);
    const times = new Map(distinct.map((t, i) => [t, i]));
    samples.push({
      fold: split.fold,
      times,
      nTimes: distinct.length,
      rowTime: Int32Array.from(split.test, (r) => times.get(time[r] as number)!),
      y: yTest,
      scores: { model, majority: base.majority, previousDirection: base.previousDirection },
    });
    folds.push({
      fold: split.fold,
      trainRows: split.train.length,
      testRows: split.test.length,
      testStart: split.testStart,
      testEnd: Number.isFinite(split.testEnd) ? split.testEnd : null,
      scores: scoresOf(yTest, model, Array.from(base.majority), Array.from(base.previousDirection)),
    });
  }

  const pick = (a: number[], keep: number[]): number[] => keep.map((k) => a[k] as number);
  const scoresAt = (keep: number[]): Scores =>
    scoresOf(
      pick(held.y, keep),
      pick(held.model, keep),
      pick(held.majority, keep),
      pick(held.previousDirection, keep),
    );
  const all = held.y.map((_, k) => k);
  const bySymbol = new Map<string, number[]>();
  held.row.forEach((r, k) => {
    const s = symbol[r] as string;
    const keep = bySymbol.get(s);
    if (keep) keep.push(k);
    else bySymbol.set(s, [k]);
  });
  const backtestOptions = { ...DEFAULT_BACKTEST, ...opts.backtest };
  const run = panel.open
    ? runBacktest(
        {
          series: symbolSeries(symbol, time),
          open: panel.open,
          time,
          previous,
          prob,
          folds: splits.map((s) => ({ fold: s.fold, testStart: s.testStart, testEnd: s.testEnd })),
        },
        backtestOptions,
      )
    : undefined;
  const backtest = run?.report;
  const pooled = scoresAt(all);
  const uncertainty = summariseUncertainty({
    folds,
    pooled,
    samples,
    backtest: run,
    bootstrap: bootstrapOptions,
    horizon: opts.horizon,
    barsPerYear: backtestOptions.barsPerYear,
  });
  return {
    horizon: opts.horizon,
    neutralBand: opts.neutralBand,
    embargo: opts.horizon,
    folds,
    pooled,
    perSymbol: Object.fromEntries(
      [...bySymbol].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, keep]) => [s, scoresAt(keep)]),
    ),
    ...(backtest ? { backtest } : {}),
    lookAhead,
    uncertainty,
    ...(opts.importance
      ? {
          importance: {
            metric: 'held-out log-loss increase when the feature is shuffled' as const,
            logLossIncrease: Array.from(lossIncrease, (v) => v / Math.max(1, all.length)),
          },
        }
      : {}),
  };
}

function scoresOf(y: number[], model: number[], majority: number[], previousDirection: number[]): Scores {
  return {
    model: binaryMetrics(y, model),
    majority: binaryMetrics(y, majority),
    previousDirection: binaryMetrics(y, previousDirection),
  };
}
