import { symbolSeries } from './series';

export interface WalkForwardFold {
  fold: number;
  /** Row indices, ascending. */
  train: Int32Array;
  test: Int32Array;
  /** Test rows have testStart <= time < testEnd (Infinity for the last fold). */
  testStart: number;
  testEnd: number;
}

export interface SplitOptions {
  folds: number;
  /** Bars dropped per symbol between its last training row and its first test row. */
  embargo: number;
  /** Rows allowed into train or test (e.g. labelled ones); the embargo still counts every bar. */
  usable?: (row: number) => boolean;
}

/**
 * Expanding-window walk-forward folds. The distinct timestamps are cut into folds + 1 equal
 * parts; fold k tests on part k + 1 and trains on everything before it, minus the last `embargo`
 * bars of each symbol. With embargo = horizon, no training label looks at a price from the test
 * period, and because the cut is by time for all symbols at once, the pooled training set never
 * sees a moment that any test row lives in. Folds without training or test rows are left out.
 */
export function walkForwardSplits(
  time: ArrayLike<number>,
  symbol: ArrayLike<string>,
  opts: SplitOptions,
): WalkForwardFold[] {
  const { folds, embargo, usable = () => true } = opts;
  if (!Number.isInteger(folds) || folds < 1)
    throw new RangeError(`folds must be a positive integer, got ${folds}`);
  if (!Number.isInteger(embargo) || embargo < 0) throw new RangeError(`embargo must be >= 0, got ${embargo}`);
  const distinct = Float64Array.from(new Set(Array.from(time))).sort();
  const cut = (k: number): number =>
    k > folds ? Infinity : (distinct[Math.floor((k * distinct.length) / (folds + 1))] as number);
  const series = [...symbolSeries(symbol, time).values()];

  const out: WalkForwardFold[] = [];
  for (let k = 1; k <= folds; k++) {
    const testStart = cut(k);
    const testEnd = cut(k + 1);
    const train: number[] = [];
    const test: number[] = [];
    for (const rows of series) {
      let first = 0;
      while (first < rows.length && (time[rows[first] as number] as number) < testStart) first++;
      for (let j = 0; j < first - embargo; j++) if (usable(rows[j] as number)) train.push(rows[j] as number);
      for (let j = first; j < rows.length && (time[rows[j] as number] as number) < testEnd; j++)
        if (usable(rows[j] as number)) test.push(rows[j] as number);
    }
    if (train.length && test.length)
      out.push({
        fold: k,
        train: Int32Array.from(train).sort(),
        test: Int32Array.from(test).sort(),
        testStart,
        testEnd,
      });
  }
  return out;
}
