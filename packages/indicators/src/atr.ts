import type { EMASnapshot } from './ema';
import { EMA } from './ema';

export interface ATRSnapshot {
  readonly hasPrevClose: boolean;
  readonly prevClose: number;
  readonly average: EMASnapshot;
}

/**
 * Wilder's average true range, as technicalindicators computes it: the first bar has no true
 * range (it needs a previous close), the first ATR is the mean of the first `period` true
 * ranges, then Wilder smoothing. Warm after period + 1 bars (15 for 14).
 */
export class ATR {
  private hasPrevClose = false;
  private prevClose = 0;
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
    if (this.hasPrevClose) {
      const pc = this.prevClose;
      this.average.update(Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc)));
    }
    this.hasPrevClose = true;
    this.prevClose = close;
  }

  copyFrom(other: ATR): void {
    this.hasPrevClose = other.hasPrevClose;
    this.prevClose = other.prevClose;
    this.average.copyFrom(other.average);
  }

  snapshot(): ATRSnapshot {
    return { hasPrevClose: this.hasPrevClose, prevClose: this.prevClose, average: this.average.snapshot() };
  }

  static restore(s: ATRSnapshot): ATR {
    const atr = new ATR(s.average.period);
    atr.hasPrevClose = s.hasPrevClose;
    atr.prevClose = s.prevClose;
    atr.average.copyFrom(EMA.restore(s.average));
    return atr;
  }
}
