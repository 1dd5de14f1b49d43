import type { Performance } from './performance';
import { performance } from './performance';
import type { BacktestOptions, Decision, Track } from './simulate';
import { concatTracks, decideOnPrevious, decideOnProbability, poolTracks, simulate } from './simulate';

/** The model's signal and two rules that need no model, traded with the same costs. */
export type Strategy = 'model' | 'buyAndHold' | 'previousDirection';
export const STRATEGIES: readonly Strategy[] = ['model', 'buyAndHold', 'previousDirection'];

export type StrategyPerformance = Record<Strategy, Performance>;

export interface FoldBacktest {
  fold: number;
  /** Equal-weight portfolio of the symbols. */
  pooled: StrategyPerformance;
  perSymbol: Record<string, StrategyPerformance>;
  /** The portfolio's equity (1 at the fold's start) at up to 200 bars, for plots. */
  equity: { time: number[]; curves: Record<Strategy, number[]> };
}

export interface BacktestReport {
  settings: BacktestOptions;
  folds: FoldBacktest[];
  /** All folds' portfolios one after another (the folds are consecutive in time). */
  pooled: StrategyPerformance;
  perSymbol: Record<string, StrategyPerformance>;
}

/** The inputs the backtest reads, all indexed by panel row. */
export interface BacktestInputs {
  /** Each symbol's rows in time order. */
  series: Map<string, Int32Array>;
  open: ArrayLike<number>;
  time: ArrayLike<number>;
  /** Direction of the last horizon's return (1 up, 0 not, -1 unknown). */
  previous: ArrayLike<number>;
  /** The model's held-out P(up); NaN where the row was not scored. */
  prob: ArrayLike<number>;
  folds: readonly { fold: number; testStart: number; testEnd: number }[];
}

export interface BacktestRun {
  report: BacktestReport;
  /** Each fold's equal-weight portfolio track per strategy, for the bootstrap. */
  pooledTracks: { fold: number; tracks: Record<Strategy, Track> }[];
}

const byStrategy = <T>(f: (s: Strategy) => T): Record<Strategy, T> =>
  Object.fromEntries(STRATEGIES.map((s) => [s, f(s)])) as Record<Strategy, T>;

const sortedEntries = <T>(m: Map<string, T>): [string, T][] =>
  [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Trades each fold's test window of each symbol: every bar of the window (labelled or not: a
 * label is the future), decided at its close, filled at the next bar's open, closed at the open
 * of the bar after the window. The model trades its held-out P(up) with the documented rule;
 * buy-and-hold is long for the whole window; previous direction follows the last horizon's move.
 */
export function runBacktest(inputs: BacktestInputs, opts: BacktestOptions): BacktestRun {
  const { series, open, time, previous, prob } = inputs;
  const decide: Record<Strategy, (row: number) => Decision> = {
    model: (r) => decideOnProbability(prob[r] as number, opts),
    buyAndHold: () => 1,
    previousDirection: (r) => decideOnPrevious(previous[r] as number, opts),
  };
  const bySymbol = new Map<string, Record<Strategy, Track[]>>();
  const folds: FoldBacktest[] = [];
  const pooledTracks: BacktestRun['pooledTracks'] = [];
  const allPooled = byStrategy<Track[]>(() => []);

  for (const f of inputs.folds) {
    const legs = new Map<string, Record<Strategy, Track>>();
    for (const [symbol, rows] of series) {
      let j0 = 0;
      while (j0 < rows.length && (time[rows[j0] as number] as number) < f.testStart) j0++;
      let j1 = j0;
      while (j1 < rows.length && (time[rows[j1] as number] as number) < f.testEnd) j1++;
      const window = rows.subarray(j0, j1);
      const withExit = rows.subarray(j0, Math.min(j1 + 1, rows.length));
      if (withExit.length < 3) continue;
      const opens = Array.from(withExit, (r) => open[r] as number);
      const times = Array.from(withExit, (r) => time[r] as number);
      const leg = byStrategy((s) => simulate(Array.from(window, decide[s]), opens, times, opts));
      legs.set(symbol, leg);
      let acc = bySymbol.get(symbol);
      if (!acc) bySymbol.set(symbol, (acc = byStrategy<Track[]>(() => [])));
      for (const s of STRATEGIES) acc[s].push(leg[s]);
    }
    if (legs.size === 0) continue;
    const pooled = byStrategy((s) => poolTracks([...legs.values()].map((l) => l[s])));
    for (const s of STRATEGIES) allPooled[s].push(pooled[s]);
    pooledTracks.push({ fold: f.fold, tracks: pooled });
    folds.push({
      fold: f.fold,
      pooled: byStrategy((s) => performance(pooled[s], opts.barsPerYear)),
      perSymbol: Object.fromEntries(
        sortedEntries(legs).map(([sym, leg]) => [
          sym,
          byStrategy((s) => performance(leg[s], opts.barsPerYear)),
        ]),
      ),
      equity: equityCurves(pooled),
    });
  }
  return {
    report: {
      settings: { ...opts },
      folds,
      pooled: byStrategy((s) => performance(concatTracks(allPooled[s]), opts.barsPerYear)),
      perSymbol: Object.fromEntries(
        sortedEntries(bySymbol).map(([sym, acc]) => [
          sym,
          byStrategy((s) => performance(concatTracks(acc[s]), opts.barsPerYear)),
        ]),
      ),
    },
    pooledTracks,
  };
}

/** The strategies' portfolios share their bar times, so one set of picked bars serves every curve. */
function equityCurves(pooled: Record<Strategy, Track>, points = 200): FoldBacktest['equity'] {
  const n = pooled.model.time.length;
  const keep =
    n <= points
      ? Array.from({ length: n }, (_, i) => i)
      : Array.from({ length: points }, (_, i) => Math.round(((i + 1) * n) / points) - 1);
  const curves = byStrategy((s) => {
    const equity: number[] = [];
    let e = 1;
    for (const r of pooled[s].ret) equity.push((e *= 1 + r));
    return keep.map((k) => equity[k] as number);
  });
  return { time: keep.map((k) => pooled.model.time[k] as number), curves };
}
