import type { EMASnapshot } from './ema';
import { EMA } from './ema';
import type { Stateful } from './state';
import { assignFields } from './state';
import type { StateReader, StateWriter } from './state-codec';

interface ATRState {
  hasPrevClose: boolean;
  prevClose: number;
}

export interface ATRSnapshot extends Readonly<ATRState> {
  readonly average: EMASnapshot;
}

/**
 * Wilder's average true range, as technicalindicators computes it: the first bar has no true
 * range (it needs a previous close), the first ATR is the mean of the first `period` true
 * ranges, then Wilder smoothing. Warm after period + 1 bars (15 for 14).
 */
export class ATR implements Stateful<ATRSnapshot> {
  private readonly state: ATRState = { hasPrevClose: false, prevClose: 0 };
  private readonly average: EMA;

  constructor(readonly period = 14) {
    this.average = EMA.wilder(period);
  }

  get isWarm(): boolean {
    return this.average.isWarm;
  }

  get value(): number | undefined {
    return this.average.value;
  }

  update(high: number, low: number, close: number): void {
    const s = this.state;
    if (s.hasPrevClose) {
      const pc = s.prevClose;
      this.average.update(Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc)));
    }
    s.hasPrevClose = true;
    s.prevClose = close;
  }

  snapshot(): ATRSnapshot {
    return { ...this.state, average: this.average.snapshot() };
  }

  restoreFrom(s: ATRSnapshot): void {
    assignFields(this.state, s);
    this.average.restoreFrom(s.average);
  }

  writeState(w: StateWriter): void {
    w.fields(this.state);
    this.average.writeState(w);
  }

  readState(r: StateReader): void {
    r.fields(this.state);
    this.average.readState(r);
  }

  static restore(s: ATRSnapshot): ATR {
    const atr = new ATR(s.average.period);
    atr.restoreFrom(s);
    return atr;
  }
}
