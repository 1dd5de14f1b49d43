import type { Stateful } from './state';
import { assignFields, checkParameters } from './state';
import type { StateReader, StateWriter } from './state-codec';

interface RSIState {
  /** Closes seen, capped at period + 1 (the first average needs `period` changes). */
  seen: number;
  prevClose: number;
  avgGain: number;
  avgLoss: number;
}

export interface RSISnapshot extends Readonly<RSIState> {
  readonly period: number;
}

/**
 * Wilder's RSI on a 0-100 scale. The first average gain/loss is the simple mean of the first
 * `period` changes, then avg = (avg * (period - 1) + x) / period, as technicalindicators does;
 * warm after period + 1 closes. Edge cases: no losses gives 100, no gains gives 0, and a series
 * with neither (perfectly flat since the start) gives the neutral 50, where technicalindicators
 * says 100 - a halted stock is not overbought.
 */
export class RSI implements Stateful<RSISnapshot> {
  private readonly state: RSIState = { seen: 0, prevClose: 0, avgGain: 0, avgLoss: 0 };

  constructor(readonly period: number = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`period must be a positive integer, got ${period}`);
  }

  get isWarm(): boolean {
    return this.state.seen > this.period;
  }

  get value(): number | undefined {
    if (!this.isWarm) return undefined;
    const { avgGain, avgLoss } = this.state;
    if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
    if (avgGain === 0) return 0;
    return 100 - 100 / (1 + avgGain / avgLoss);
  }

  update(close: number): void {
    const s = this.state;
    const change = close - s.prevClose;
    s.prevClose = close;
    if (s.seen === 0) {
      s.seen = 1;
      return;
    }
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    if (s.seen > n) {
      s.avgGain = (s.avgGain * (n - 1) + gain) / n;
      s.avgLoss = (s.avgLoss * (n - 1) + loss) / n;
      return;
    }
    // While seeding, avgGain/avgLoss hold the running sums of the first `period` changes.
    s.avgGain += gain;
    s.avgLoss += loss;
    s.seen++;
    if (s.seen > n) {
      s.avgGain /= n;
      s.avgLoss /= n;
    }
  }

  snapshot(): RSISnapshot {
    return { period: this.period, ...this.state };
  }

  restoreFrom(s: RSISnapshot): void {
    checkParameters('RSI', s.period === this.period);
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.number(this.period);
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    checkParameters('RSI', r.number() === this.period);
    r.fields(this.state);
  }

  static restore(s: RSISnapshot): RSI {
    const rsi = new RSI(s.period);
    rsi.restoreFrom(s);
    return rsi;
  }
}
