import type { BacktestRun, Strategy } from '../backtest/run';
import type { Track } from '../backtest/simulate';
import type { Contender, FoldReport, Scores } from './types';
import type { Bootstrap, BootstrapOptions, FoldSample, Spread } from './uncertainty';
import { blockBootstrap, spreadOf } from './uncertainty';

/** How much the held-out figures move between folds and under resampling. */
export interface Uncertainty {
  /** Each figure's mean, spread and range over the folds. */
  perFold: Record<Contender, Record<'accuracy' | 'balancedAccuracy' | 'auc' | 'logLoss', Spread | null>>;
  /** The pooled backtest Sharpe of each fold, over the folds. */
  backtestSharpe?: Record<Strategy, Spread | null>;
  /**
   * Pooled AUC ranks rows of different folds against each other, so it mixes the folds' base
   * rates (a constant predictor scores below 0.5 when its constant moves with the rate);
   * the mean of per-fold AUCs does not. Neither is read by the promotion rule.
   */
  auc: Record<Contender, { pooled: number | null; meanOfFolds: number | null }>;
  /** null with `resamples: 0`. */
  bootstrap: Bootstrap | null;
}

/** A fold's held-out rows for the bootstrap, with the index of each of its window's bar times. */
export type IndexedSample = FoldSample & { fold: number; times: Map<number, number> };

/**
 * Per-fold spreads, pooled vs per-fold AUC and the block bootstrap, from the folds' figures and
 * samples and (when there is one) the backtest's portfolio tracks.
 */
export function summariseUncertainty(inputs: {
  folds: readonly FoldReport[];
  pooled: Scores;
  samples: readonly IndexedSample[];
  backtest: BacktestRun | undefined;
  bootstrap: BootstrapOptions;
  horizon: number;
  barsPerYear: number;
}): Uncertainty {
  const { folds, pooled, samples, bootstrap: bootstrapOptions } = inputs;
  const run = inputs.backtest;
  const backtest = run?.report;
  // The bootstrap weighs each backtest bar by how often its bar time was drawn.
  const withTracks = samples.map((sample): FoldSample => {
    const tracks = run?.pooledTracks.find((t) => t.fold === sample.fold)?.tracks;
    if (!tracks) return sample;
    const indexed = (t: Track) => ({
      timeIndex: Int32Array.from(t.time, (tm) => sample.times.get(tm)!),
      ret: t.ret,
    });
    return {
      ...sample,
      tracks: {
        model: indexed(tracks.model),
        buyAndHold: indexed(tracks.buyAndHold),
        previousDirection: indexed(tracks.previousDirection),
      },
    };
  });
  const perFold = (c: Contender, k: 'accuracy' | 'balancedAccuracy' | 'auc' | 'logLoss') =>
    spreadOf(folds.map((f) => f.scores[c][k]));
  const contenders: Contender[] = ['model', 'majority', 'previousDirection'];
  return {
    perFold: Object.fromEntries(
      contenders.map((c) => [
        c,
        {
          accuracy: perFold(c, 'accuracy'),
          balancedAccuracy: perFold(c, 'balancedAccuracy'),
          auc: perFold(c, 'auc'),
          logLoss: perFold(c, 'logLoss'),
        },
      ]),
    ) as Uncertainty['perFold'],
    ...(backtest
      ? {
          backtestSharpe: Object.fromEntries(
            Object.keys(backtest.pooled).map((s) => [
              s,
              spreadOf(backtest.folds.map((f) => f.pooled[s as Strategy].sharpe)),
            ]),
          ) as Record<Strategy, Spread | null>,
        }
      : {}),
    auc: Object.fromEntries(
      contenders.map((c) => [
        c,
        {
          pooled: pooled[c].auc,
          meanOfFolds: folds.some((f) => f.scores[c].auc === null)
            ? null
            : folds.reduce((a, f) => a + (f.scores[c].auc as number), 0) / folds.length,
        },
      ]),
    ) as Uncertainty['auc'],
    bootstrap:
      bootstrapOptions.resamples > 0 && samples.length > 0
        ? blockBootstrap(withTracks, bootstrapOptions, inputs.horizon, inputs.barsPerYear)
        : null,
  };
}
