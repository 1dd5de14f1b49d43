import type { Stateful } from './state';
import { assignFields, checkParameters } from './state';
import type { StateReader, StateWriter } from './state-codec';

interface EMAState {
  count: number;
  seedSum: number;
  current: number;
}

export interface EMASnapshot extends Readonly<EMAState> {
  readonly period: number;
  readonly alpha: number;
}

/**
 * Exponential moving average, seeded like technicalindicators (and TA-Lib): the first value is
 * the simple average of the first `period` inputs, then ema += alpha * (x - ema). Warm after
 * `period` updates. `alpha` defaults to 2 / (period + 1); `EMA.wilder(n)` uses Wilder's 1 / n.
 */
export class EMA implements Stateful<EMASnapshot> {
  private readonly state: EMAState = { count: 0, seedSum: 0, current: 0 };

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
    return this.state.count === this.period;
  }

  get value(): number | undefined {
    return this.state.count === this.period ? this.state.current : undefined;
  }

  update(x: number): void {
    const s = this.state;
    if (s.count === this.period) {
      // Same operation order as technicalindicators, so warm values agree to the last bit.
      s.current = (x - s.current) * this.alpha + s.current;
      return;
    }
    s.seedSum += x;
    s.count++;
    if (s.count === this.period) s.current = s.seedSum / this.period;
  }

  snapshot(): EMASnapshot {
    return { period: this.period, alpha: this.alpha, ...this.state };
  }

  restoreFrom(s: EMASnapshot): void {
    checkParameters('EMA', s.period === this.period && s.alpha === this.alpha);
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.number(this.period);
    w.number(this.alpha);
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    const [period, alpha] = [r.number(), r.number()];
    checkParameters('EMA', period === this.period && alpha === this.alpha);
    r.fields(this.state);
  }

  static restore(s: EMASnapshot): EMA {
    const ema = new EMA(s.period, s.alpha);
    ema.restoreFrom(s);
    return ema;
  }
}
