import type { Bar } from '@tickstream/contracts';
import { Bollinger, EMA, MACD, RSI, SMA } from '@tickstream/indicators';

export interface Point {
  time: number;
  value: number;
}

export interface Overlays {
  sma20: Point[];
  ema12: Point[];
  ema26: Point[];
  bbUpper: Point[];
  bbMiddle: Point[];
  bbLower: Point[];
  rsi14: Point[];
  macd: Point[];
  macdSignal: Point[];
  macdHist: Point[];
}

/** Chart time: seconds since the epoch (lightweight-charts' UTCTimestamp). */
export const chartTime = (bar: Bar) => Math.floor(bar.start_time / 1000);

/**
 * The chart's indicators over the whole history, with the same classes (and so the same
 * warm-up and numbers) as the features service. Recomputed per bar: a few hundred bars cost
 * well under a millisecond, and a corrected bar then fixes every value after it.
 */
export function computeOverlays(bars: readonly Bar[]): Overlays {
  const sma = new SMA(20);
  const ema12 = new EMA(12);
  const ema26 = new EMA(26);
  const bb = new Bollinger(20, 2);
  const rsi = new RSI(14);
  const macd = new MACD(12, 26, 9);
  const out: Overlays = {
    sma20: [],
    ema12: [],
    ema26: [],
    bbUpper: [],
    bbMiddle: [],
    bbLower: [],
    rsi14: [],
    macd: [],
    macdSignal: [],
    macdHist: [],
  };
  for (const bar of bars) {
    const time = chartTime(bar);
    for (const ind of [sma, ema12, ema26, bb, rsi, macd]) ind.update(bar.close);
    const push = (series: Point[], value: number | undefined) => {
      if (value !== undefined && Number.isFinite(value)) series.push({ time, value });
    };
    push(out.sma20, sma.value);
    push(out.ema12, ema12.value);
    push(out.ema26, ema26.value);
    const band = bb.value;
    push(out.bbUpper, band?.upper);
    push(out.bbMiddle, band?.middle);
    push(out.bbLower, band?.lower);
    push(out.rsi14, rsi.value);
    const m = macd.value;
    push(out.macd, macd.line);
    push(out.macdSignal, m?.signal);
    push(out.macdHist, m?.histogram);
  }
  return out;
}
