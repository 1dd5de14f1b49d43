/** Settings of the trading rule and its costs. */
export interface BacktestOptions {
  /** P(up) above this opens or keeps a long position. */
  upper: number;
  /** P(up) below this goes flat ('long-flat') or short ('long-short'). Between the two: keep. */
  lower: number;
  mode: 'long-flat' | 'long-short';
  /** Commission per share traded, in the price's currency (e.g. 0.005 USD). */
  commissionPerShare: number;
  /** Half spread plus slippage, per side, in basis points of the traded notional. */
  costBps: number;
  /** Bars in a year, to annualise return, Sharpe and turnover (252 for daily bars). */
  barsPerYear: number;
}

/** The web client shows P(up) within 0.5 +/- 0.05 as NEUTRAL: the default rule trades what it shows. */
export const DEFAULT_BACKTEST: Readonly<BacktestOptions> = Object.freeze({
  upper: 0.55,
  lower: 0.45,
  mode: 'long-flat',
  commissionPerShare: 0.005,
  costBps: 5,
  barsPerYear: 252,
});

/** Target position decided at a bar's close: 1 long, 0 flat, -1 short, null keep the current one. */
export type Decision = 1 | 0 | -1 | null;

/** The documented rule on a probability: long above `upper`, flat or short below `lower`, else keep. */
export function decideOnProbability(p: number, opts: BacktestOptions): Decision {
  if (!Number.isFinite(p)) return null;
  if (p > opts.upper) return 1;
  if (p < opts.lower) return opts.mode === 'long-short' ? -1 : 0;
  return null;
}

/**
 * The previous-direction rule: long after an up move over the last horizon, flat or short after
 * a down move, keep while it is unknown (a symbol's first bars; `previous` is -1 there).
 */
export function decideOnPrevious(previous: number, opts: BacktestOptions): Decision {
  if (previous === 1) return 1;
  if (previous === 0) return opts.mode === 'long-short' ? -1 : 0;
  return null;
}

/**
 * One strategy's bar-by-bar record. For one symbol the counts are 0 or 1; for an equal-weight
 * portfolio `ret`, `exposure` and `traded` are means over its symbols and the counts are sums.
 */
export interface Track {
  /** Start time of the bar at whose open the interval begins. */
  time: number[];
  /** Net return of the interval: position x open-to-open return, minus costs of trades at its start. */
  ret: number[];
  /** |position| held over the interval. */
  exposure: number[];
  /** |change of position| at the interval's start, plus the closing trade on the last interval. */
  traded: number[];
  /** Intervals in the market whose price moved the position's way (gross of costs). */
  hits: number[];
  inMarket: number[];
}

export const emptyTrack = (): Track => ({
  time: [],
  ret: [],
  exposure: [],
  traded: [],
  hits: [],
  inMarket: [],
});

/** Cost of trading one unit of equity at `price`: spread and slippage plus the commission as a fraction. */
export function unitCost(
  price: number,
  opts: Pick<BacktestOptions, 'costBps' | 'commissionPerShare'>,
): number {
  return opts.costBps / 1e4 + opts.commissionPerShare / price;
}

/**
 * Trades one symbol over a window of bars. decisions[j] is made at the close of bar j and filled
 * at the open of bar j + 1, so nothing of bar j + 1 is known when deciding. Interval k runs from
 * open[k] to open[k + 1] with the position decisions up to k - 1 left; the last open closes the
 * position (and is not traded from). `open` may be one longer than `decisions` (the bar after the
 * window, whose open only closes the position). Positions are a unit of equity (short: -1,
 * rebalanced each bar); costs are `unitCost` per unit traded.
 *
 * @example
 *   simulate([1, 1, 0], [100, 101, 103, 102], [0, 1, 2, 3], opts).ret; // two intervals held long, then flat
 */
export function simulate(
  decisions: ArrayLike<Decision>,
  open: ArrayLike<number>,
  time: ArrayLike<number>,
  opts: Pick<BacktestOptions, 'costBps' | 'commissionPerShare'>,
): Track {
  const track = emptyTrack();
  const last = open.length - 1;
  let pos = 0;
  for (let k = 1; k < last; k++) {
    const d = decisions[k - 1] ?? null;
    const next = d === null ? pos : d;
    const from = open[k] as number;
    const gross = (open[k + 1] as number) / from - 1;
    let traded = Math.abs(next - pos);
    let ret = next * gross - traded * unitCost(from, opts);
    if (k === last - 1 && next !== 0) {
      // The window ends: close at the last open so folds never carry a position into each other;
      // the shares then are worth (1 + gross) of the equity the interval started with.
      traded += Math.abs(next);
      ret -= Math.abs(next) * unitCost(open[last] as number, opts) * (1 + gross);
    }
    pos = next;
    track.time.push(time[k] as number);
    track.ret.push(ret);
    track.exposure.push(Math.abs(pos));
    track.traded.push(traded);
    track.inMarket.push(pos !== 0 ? 1 : 0);
    track.hits.push(pos * gross > 0 ? 1 : 0);
  }
  return track;
}

/** Equal-weight portfolio of tracks: at each interval start, the mean over the symbols trading then. */
export function poolTracks(tracks: readonly Track[]): Track {
  const at = new Map<
    number,
    { ret: number; exposure: number; traded: number; hits: number; inMarket: number; n: number }
  >();
  for (const t of tracks)
    t.time.forEach((time, k) => {
      let s = at.get(time);
      if (!s) at.set(time, (s = { ret: 0, exposure: 0, traded: 0, hits: 0, inMarket: 0, n: 0 }));
      s.ret += t.ret[k] as number;
      s.exposure += t.exposure[k] as number;
      s.traded += t.traded[k] as number;
      s.hits += t.hits[k] as number;
      s.inMarket += t.inMarket[k] as number;
      s.n++;
    });
  const out = emptyTrack();
  for (const time of [...at.keys()].sort((a, b) => a - b)) {
    const s = at.get(time)!;
    out.time.push(time);
    out.ret.push(s.ret / s.n);
    out.exposure.push(s.exposure / s.n);
    out.traded.push(s.traded / s.n);
    out.hits.push(s.hits);
    out.inMarket.push(s.inMarket);
  }
  return out;
}

/** Tracks one after another (folds are consecutive in time). */
export function concatTracks(tracks: readonly Track[]): Track {
  const out = emptyTrack();
  for (const t of tracks) for (const key of Object.keys(out) as (keyof Track)[]) out[key].push(...t[key]);
  return out;
}
