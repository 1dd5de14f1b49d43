import type { RingBufferSnapshot } from './ring-buffer';
import { RingBuffer } from './ring-buffer';

export interface RollingMomentsSnapshot {
  readonly window: RingBufferSnapshot;
  readonly mean: number;
  readonly m2: number;
  readonly epochCount: number;
  readonly epochMean: number;
  readonly epochM2: number;
  readonly run: number;
  readonly last: number;
}

/**
 * Mean and population variance of the last `period` values in O(1) per value, with an error
 * that does not grow with the stream's length.
 *
 * Why not running sums of x and x^2: variance = E[x^2] - E[x]^2 cancels catastrophically for
 * prices (a $5,000 stock with a $0.50 standard deviation loses eight of sixteen digits). Instead,
 * Welford's update extended to a sliding window: when x enters and y leaves,
 *   mean' = mean + (x - y) / n,   M2' = M2 + (x - y) * ((x - mean') + (y - mean)),
 * which works on deviations, not on squares of prices.
 *
 * A sliding update never forgets its rounding errors, though: they add up over the stream, and
 * after a volatile stretch they can dwarf the variance of a quiet one. So a second, add-only
 * Welford accumulator starts afresh every `period` values; when it has seen `period` values it
 * describes exactly the current window, and it replaces the sliding state. The sliding state is
 * thus never more than `period` updates old - re-anchored without rescanning the window.
 *
 * A window of identical values is detected exactly (run length of equal values), so a flat
 * window has a mean equal to that value and a variance of exactly 0 rather than rounding residue.
 */
export class RollingMoments {
  private readonly window: RingBuffer;
  private meanValue = 0;
  private m2 = 0;
  private epochCount = 0;
  private epochMean = 0;
  private epochM2 = 0;
  /** Length of the trailing run of values equal to `last`, capped at `period`. */
  private run = 0;
  private last = 0;

  constructor(readonly period: number) {
    this.window = new RingBuffer(period);
  }

  get isWarm(): boolean {
    return this.window.isFull;
  }

  get mean(): number {
    return this.run >= this.period ? this.last : this.meanValue;
  }

  get variance(): number {
    if (this.run >= this.period) return 0;
    const v = this.m2 / this.window.size;
    return v > 0 ? v : 0;
  }

  push(x: number): void {
    this.run = this.window.size > 0 && x === this.last ? Math.min(this.run + 1, this.period) : 1;
    this.last = x;
    const wasFull = this.window.isFull;
    const y = this.window.push(x);
    const before = this.meanValue;
    if (wasFull) {
      this.meanValue = before + (x - y) / this.period;
      this.m2 += (x - y) * (x - this.meanValue + (y - before));
    } else {
      const d = x - before;
      this.meanValue = before + d / this.window.size;
      this.m2 += d * (x - this.meanValue);
    }
    this.epochCount++;
    const d = x - this.epochMean;
    this.epochMean += d / this.epochCount;
    this.epochM2 += d * (x - this.epochMean);
    if (this.epochCount === this.period) {
      this.meanValue = this.epochMean;
      this.m2 = this.epochM2;
      this.epochCount = 0;
      this.epochMean = 0;
      this.epochM2 = 0;
    }
  }

  copyFrom(other: RollingMoments): void {
    this.window.copyFrom(other.window);
    this.meanValue = other.meanValue;
    this.m2 = other.m2;
    this.epochCount = other.epochCount;
    this.epochMean = other.epochMean;
    this.epochM2 = other.epochM2;
    this.run = other.run;
    this.last = other.last;
  }

  snapshot(): RollingMomentsSnapshot {
    return {
      window: this.window.snapshot(),
      mean: this.meanValue,
      m2: this.m2,
      epochCount: this.epochCount,
      epochMean: this.epochMean,
      epochM2: this.epochM2,
      run: this.run,
      last: this.last,
    };
  }

  static restore(period: number, s: RollingMomentsSnapshot): RollingMoments {
    const m = new RollingMoments(period);
    m.window.copyFrom(RingBuffer.restore(s.window, period));
    m.meanValue = s.mean;
    m.m2 = s.m2;
    m.epochCount = s.epochCount;
    m.epochMean = s.epochMean;
    m.epochM2 = s.epochM2;
    m.run = s.run;
    m.last = s.last;
    return m;
  }
}
