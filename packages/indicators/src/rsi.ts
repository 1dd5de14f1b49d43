export interface RSISnapshot {
  readonly period: number;
  /** Closes seen, capped at period + 1 (the first average needs `period` changes). */
  readonly seen: number;
  readonly prevClose: number;
  readonly avgGain: number;
  readonly avgLoss: number;
}

/**
 * Wilder's RSI on a 0-100 scale. The first average gain/loss is the simple mean of the first
 * `period` changes, then avg = (avg * (period - 1) + x) / period, as technicalindicators does;
 * warm after period + 1 closes. Edge cases: no losses gives 100, no gains gives 0, and a series
 * with neither (perfectly flat since the start) gives the neutral 50, where technicalindicators
 * says 100 - a halted stock is not overbought.
 */
export class RSI {
  private seen = 0;
  private prevClose = 0;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`period must be a positive integer, got ${period}`);
  }

  get isWarm(): boolean {
    return this.seen > this.period;
  }

  get value(): number | undefined {
    if (!this.isWarm) return undefined;
    if (this.avgLoss === 0) return this.avgGain === 0 ? 50 : 100;
    if (this.avgGain === 0) return 0;
    return 100 - 100 / (1 + this.avgGain / this.avgLoss);
  }

  update(close: number): void {
    const change = close - this.prevClose;
    this.prevClose = close;
    if (this.seen === 0) {
      this.seen = 1;
      return;
    }
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    if (this.seen > n) {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
      return;
    }
    // While seeding, avgGain/avgLoss hold the running sums of the first `period` changes.
    this.avgGain += gain;
    this.avgLoss += loss;
    this.seen++;
    if (this.seen > n) {
      this.avgGain /= n;
      this.avgLoss /= n;
    }
  }

  copyFrom(other: RSI): void {
    this.seen = other.seen;
    this.prevClose = other.prevClose;
    this.avgGain = other.avgGain;
    this.avgLoss = other.avgLoss;
  }

  snapshot(): RSISnapshot {
    return {
      period: this.period,
      seen: this.seen,
      prevClose: this.prevClose,
      avgGain: this.avgGain,
      avgLoss: this.avgLoss,
    };
  }

  static restore(s: RSISnapshot): RSI {
    const rsi = new RSI(s.period);
    rsi.seen = s.seen;
    rsi.prevClose = s.prevClose;
    rsi.avgGain = s.avgGain;
    rsi.avgLoss = s.avgLoss;
    return rsi;
  }
}
