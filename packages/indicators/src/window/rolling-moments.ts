import type { Stateful } from '../state';
import { assignFields } from '../state';
import type { StateReader, StateWriter } from '../state-codec';
import type { RingBufferSnapshot } from './ring-buffer';
import { RingBuffer } from './ring-buffer';

interface RollingMomentsState {
  mean: number;
  m2: number;
  epochCount: number;
  epochMean: number;
  epochM2: number;
  /** Length of the trailing run of values equal to `last`, capped at `period`. */
  run: number;
  last: number;
}

export interface RollingMomentsSnapshot extends Readonly<RollingMomentsState> {
  readonly window: RingBufferSnapshot;
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
export class RollingMoments implements Stateful<RollingMomentsSnapshot> {
  private readonly window: RingBuffer;
  private readonly state: RollingMomentsState = {
    mean: 0,
    m2: 0,
    epochCount: 0,
    epochMean: 0,
    epochM2: 0,
    run: 0,
    last: 0,
  };

  constructor(readonly period: number) {
    this.window = new RingBuffer(period);
  }

  get isWarm(): boolean {
    return this.window.isFull;
  }

  get mean(): number {
    return this.state.run >= this.period ? this.state.last : this.state.mean;
  }

  get variance(): number {
    if (this.state.run >= this.period) return 0;
    const v = this.state.m2 / this.window.size;
    return v > 0 ? v : 0;
  }

  push(x: number): void {
    const s = this.state;
    s.run = this.window.size > 0 && x === s.last ? Math.min(s.run + 1, this.period) : 1;
    s.last = x;
    const wasFull = this.window.isFull;
    const y = this.window.push(x);
    const before = s.mean;
    if (wasFull) {
      s.mean = before + (x - y) / this.period;
      s.m2 += (x - y) * (x - s.mean + (y - before));
    } else {
      const d = x - before;
      s.mean = before + d / this.window.size;
      s.m2 += d * (x - s.mean);
    }
    s.epochCount++;
    const d = x - s.epochMean;
    s.epochMean += d / s.epochCount;
    s.epochM2 += d * (x - s.epochMean);
    if (s.epochCount === this.period) {
      s.mean = s.epochMean;
      s.m2 = s.epochM2;
      s.epochCount = 0;
      s.epochMean = 0;
      s.epochM2 = 0;
    }
  }

  snapshot(): RollingMomentsSnapshot {
    return { window: this.window.snapshot(), ...this.state };
  }

  restoreFrom(s: RollingMomentsSnapshot): void {
    this.window.restoreFrom(s.window);
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    this.window.writeState(w);
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    this.window.readState(r);
    r.fields(this.state);
  }
}
