export interface EMASnapshot {
  readonly period: number;
  readonly alpha: number;
  readonly count: number;
  readonly seedSum: number;
  readonly current: number;
}

/**
 * Exponential moving average, seeded like technicalindicators (and TA-Lib): the first value is
 * the simple average of the first `period` inputs, then ema += alpha * (x - ema). Warm after
 * `period` updates. `alpha` defaults to 2 / (period + 1); `EMA.wilder(n)` uses Wilder's 1 / n.
 */
export class EMA {
  private count = 0;
  private seedSum = 0;
  private current = 0;

  constructor(
    readonly period: number,
    readonly alpha: number = 2 / (period + 1),
  ) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`period must be a positive integer, got ${period}`);
  }

  /** Wilder's smoothing (RMA): the average RSI and ATR use. */
  static wilder(period: number): EMA {
    return new EMA(period, 1 / period);
  }

  get isWarm(): boolean {
    return this.count === this.period;
  }

  get value(): number | undefined {
    return this.count === this.period ? this.current : undefined;
  }

  update(x: number): void {
    if (this.count === this.period) {
      // Same operation order as technicalindicators, so warm values agree to the last bit.
      this.current = (x - this.current) * this.alpha + this.current;
      return;
    }
    this.seedSum += x;
    this.count++;
    if (this.count === this.period) this.current = this.seedSum / this.period;
  }

  copyFrom(other: EMA): void {
    this.count = other.count;
    this.seedSum = other.seedSum;
    this.current = other.current;
  }

  snapshot(): EMASnapshot {
    return {
      period: this.period,
      alpha: this.alpha,
      count: this.count,
      seedSum: this.seedSum,
      current: this.current,
    };
  }

  static restore(s: EMASnapshot): EMA {
    const ema = new EMA(s.period, s.alpha);
    ema.count = s.count;
    ema.seedSum = s.seedSum;
    ema.current = s.current;
    return ema;
  }
}
