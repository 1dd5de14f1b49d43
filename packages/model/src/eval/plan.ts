import { directionLabels } from './series';
import type { WalkForwardFold } from './splits';
import { walkForwardSplits } from './splits';

/** Everything the evaluation cuts and labels, from the panel alone: what --dump-features writes. */
export interface WalkForwardPlan {
  /** 1 up, 0 not, -1 unlabelled. */
  y: Int8Array;
  previous: Int8Array;
  /** Labelled training and test rows of each fold. */
  splits: WalkForwardFold[];
  /** Every row of each fold's test window, labelled or not: what the backtest trades. */
  windows: WalkForwardFold[];
}

/**
 * Labels and folds exactly as evaluateWalkForward makes them (it calls this): labels `horizon`
 * bars ahead, folds cut by time with an embargo of `horizon` bars.
 */
export function walkForwardPlan(
  panel: { symbol: ArrayLike<string>; time: ArrayLike<number>; close: ArrayLike<number> },
  opts: { horizon: number; neutralBand: number; folds: number },
): WalkForwardPlan {
  const { symbol, time, close } = panel;
  const { y, previous } = directionLabels(close, symbol, time, opts);
  const splits = walkForwardSplits(time, symbol, {
    folds: opts.folds,
    embargo: opts.horizon,
    usable: (r) => y[r] !== -1,
  });
  // The cut depends on the distinct times only, so these windows are the splits' test periods.
  const all = walkForwardSplits(time, symbol, { folds: opts.folds, embargo: opts.horizon });
  const windows = splits.map((s) => all.find((a) => a.fold === s.fold)!);
  return { y, previous, splits, windows };
}

/** Up to three cuts for the look-ahead check, in the middle of early, middle and late test windows. */
export function lookAheadCuts(time: ArrayLike<number>, windows: WalkForwardFold[]): number[] {
  const picks = [...new Set([0, Math.floor(windows.length / 2), windows.length - 1])];
  return picks.flatMap((k) => {
    const w = windows[k];
    if (!w || w.test.length === 0) return [];
    const times = Array.from(w.test, (r) => time[r] as number).sort((a, b) => a - b);
    return [times[Math.floor(times.length / 2)] as number];
  });
}
