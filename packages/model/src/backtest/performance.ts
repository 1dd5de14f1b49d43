import type { Track } from './simulate';

export interface Performance {
  /** Trading intervals (bars) in the record. */
  bars: number;
  /** Compounded net return over the record. */
  totalReturn: number;
  /** totalReturn scaled to a year of `barsPerYear` bars (geometric). */
  annualReturn: number;
  /** Mean / standard deviation of the bar returns x sqrt(barsPerYear), risk-free rate 0; null without variance. */
  sharpe: number | null;
  /** Largest fall of the equity curve from its running peak, as a fraction (0.2 = -20 %). */
  maxDrawdown: number;
  /** Units of equity traded per year (1 = the whole book bought or sold once). */
  turnover: number;
  /** Mean |position|: the share of the time in the market. */
  exposure: number;
  /** Share of bars in the market whose price moved the position's way; null if never in the market. */
  hitRate: number | null;
}

/** Mean and sample standard deviation with per-bar weights (a bootstrap's draw counts); weights default to 1. */
export function sharpeOf(
  ret: ArrayLike<number>,
  barsPerYear: number,
  weight?: ArrayLike<number>,
): number | null {
  let w = 0;
  let sum = 0;
  for (let i = 0; i < ret.length; i++) {
    const wi = weight ? (weight[i] as number) : 1;
    w += wi;
    sum += wi * (ret[i] as number);
  }
  if (w < 2) return null;
  const mean = sum / w;
  let ss = 0;
  for (let i = 0; i < ret.length; i++)
    ss += (weight ? (weight[i] as number) : 1) * ((ret[i] as number) - mean) ** 2;
  const sd = Math.sqrt(ss / (w - 1));
  return sd > 1e-15 ? (mean / sd) * Math.sqrt(barsPerYear) : null;
}

/**
 * The figures a quant reads first, from a strategy's bar-by-bar record.
 *
 * @example
 *   performance(track, 252).sharpe;
 */
export function performance(track: Track, barsPerYear: number): Performance {
  const n = track.ret.length;
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let traded = 0;
  let exposure = 0;
  let hits = 0;
  let inMarket = 0;
  for (let k = 0; k < n; k++) {
    equity *= 1 + (track.ret[k] as number);
    peak = Math.max(peak, equity);
    maxDrawdown = Math.max(maxDrawdown, 1 - equity / peak);
    traded += track.traded[k] as number;
    exposure += track.exposure[k] as number;
    hits += track.hits[k] as number;
    inMarket += track.inMarket[k] as number;
  }
  const totalReturn = equity - 1;
  return {
    bars: n,
    totalReturn,
    annualReturn: n > 0 && equity > 0 ? equity ** (barsPerYear / n) - 1 : n > 0 ? -1 : 0,
    sharpe: sharpeOf(track.ret, barsPerYear),
    maxDrawdown,
    turnover: n > 0 ? (traded * barsPerYear) / n : 0,
    exposure: n > 0 ? exposure / n : 0,
    hitRate: inMarket > 0 ? hits / inMarket : null,
  };
}
