import type { SMASnapshot } from './sma';
import { SMA } from './sma';
import type { RollingExtremumSnapshot } from './window/rolling-extremum';
import { RollingExtremum } from './window/rolling-extremum';

export interface StochasticValue {
  /** Fast %K: 100 * (close - lowest low) / (highest high - lowest low) over `period` bars. */
  readonly fastK: number;
  /** Slow %K: SMA(smoothK) of fast %K. */
  readonly k: number;
  /** %D: SMA(smoothD) of slow %K. */
  readonly d: number;
}

export interface StochasticSnapshot {
  readonly highs: RollingExtremumSnapshot;
  readonly lows: RollingExtremumSnapshot;
  readonly fastK: number;
  readonly slowK: SMASnapshot;
  readonly d: SMASnapshot;
}

/**
 * Slow stochastic oscillator on a 0-100 scale. Fast %K is technicalindicators' k and slow %K its
 * d; %D smooths once more. When the period's range is zero fast %K is the neutral 50
 * (technicalindicators says 0). Warm after period + smoothK + smoothD - 2 bars (18 for 14/3/3).
 */
export class Stochastic {
  private readonly highs: RollingExtremum;
  private readonly lows: RollingExtremum;
  private fastKValue = 0;
  private readonly slowK: SMA;
  private readonly dSma: SMA;

  constructor(period = 14, smoothK = 3, smoothD = 3) {
    this.highs = new RollingExtremum(period, 'max');
    this.lows = new RollingExtremum(period, 'min');
    this.slowK = new SMA(smoothK);
    this.dSma = new SMA(smoothD);
  }

  get isWarm(): boolean {
    return this.dSma.isWarm;
  }

  get fastK(): number | undefined {
    return this.highs.isWarm ? this.fastKValue : undefined;
  }

  get k(): number | undefined {
    return this.slowK.value;
  }

  get d(): number | undefined {
    return this.dSma.value;
  }

  get value(): StochasticValue | undefined {
    const k = this.slowK.value;
    const d = this.dSma.value;
    return k === undefined || d === undefined ? undefined : { fastK: this.fastKValue, k, d };
  }

  update(high: number, low: number, close: number): void {
    this.highs.update(high);
    this.lows.update(low);
    const hh = this.highs.value;
    const ll = this.lows.value;
    if (hh === undefined || ll === undefined) return;
    this.fastKValue = hh === ll ? 50 : ((close - ll) / (hh - ll)) * 100;
    this.slowK.update(this.fastKValue);
    const k = this.slowK.value;
    if (k !== undefined) this.dSma.update(k);
  }

  copyFrom(other: Stochastic): void {
    this.highs.copyFrom(other.highs);
    this.lows.copyFrom(other.lows);
    this.fastKValue = other.fastKValue;
    this.slowK.copyFrom(other.slowK);
    this.dSma.copyFrom(other.dSma);
  }

  snapshot(): StochasticSnapshot {
    return {
      highs: this.highs.snapshot(),
      lows: this.lows.snapshot(),
      fastK: this.fastKValue,
      slowK: this.slowK.snapshot(),
      d: this.dSma.snapshot(),
    };
  }

  static restore(s: StochasticSnapshot): Stochastic {
    if (s.highs.kind !== 'max' || s.lows.kind !== 'min' || s.highs.period !== s.lows.period) {
      throw new RangeError('stochastic snapshot is inconsistent');
    }
    const st = new Stochastic(s.highs.period, s.slowK.period, s.d.period);
    st.highs.copyFrom(RollingExtremum.restore(s.highs));
    st.lows.copyFrom(RollingExtremum.restore(s.lows));
    st.fastKValue = s.fastK;
    st.slowK.copyFrom(SMA.restore(s.slowK));
    st.dSma.copyFrom(SMA.restore(s.d));
    return st;
  }
}
