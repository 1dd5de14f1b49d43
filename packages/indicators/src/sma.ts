import type { Stateful } from './state';
import { checkParameters } from './state';
import type { StateReader, StateWriter } from './state-codec';
import type { CompensatedSumSnapshot } from './window/compensated-sum';
import { CompensatedSum } from './window/compensated-sum';
import type { RingBufferSnapshot } from './window/ring-buffer';
import { RingBuffer } from './window/ring-buffer';

export interface SMASnapshot {
  readonly period: number;
  readonly window: RingBufferSnapshot;
  readonly sum: CompensatedSumSnapshot;
}

/** Simple moving average over `period` values; warm after `period` updates. */
export class SMA implements Stateful<SMASnapshot> {
  private readonly window: RingBuffer;
  private readonly sum: CompensatedSum;

  constructor(readonly period: number) {
    this.window = new RingBuffer(period);
    this.sum = new CompensatedSum();
  }

  get isWarm(): boolean {
    return this.window.isFull;
  }

  get value(): number | undefined {
    return this.window.isFull ? this.sum.value / this.period : undefined;
  }

  update(x: number): void {
    const wasFull = this.window.isFull;
    const evicted = this.window.push(x);
    this.sum.add(x);
    if (wasFull) this.sum.add(-evicted);
  }

  snapshot(): SMASnapshot {
    return { period: this.period, window: this.window.snapshot(), sum: this.sum.snapshot() };
  }

  restoreFrom(s: SMASnapshot): void {
    checkParameters('SMA', s.period === this.period);
    this.window.restoreFrom(s.window);
    this.sum.restoreFrom(s.sum);
  }

  writeState(w: StateWriter): void {
    w.number(this.period);
    this.window.writeState(w);
    this.sum.writeState(w);
  }

  readState(r: StateReader): void {
    checkParameters('SMA', r.number() === this.period);
    this.window.readState(r);
    this.sum.readState(r);
  }

  static restore(s: SMASnapshot): SMA {
    const sma = new SMA(s.period);
    sma.restoreFrom(s);
    return sma;
  }
}
