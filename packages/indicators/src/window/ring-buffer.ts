import type { Stateful } from '../state';
import { checkParameters } from '../state';
import type { StateReader, StateWriter } from '../state-codec';

export interface RingBufferSnapshot {
  readonly capacity: number;
  /** Oldest first. */
  readonly values: readonly number[];
}

/** Fixed-capacity FIFO of numbers backing every windowed indicator; never allocates after construction. */
export class RingBuffer implements Stateful<RingBufferSnapshot> {
  private readonly slots: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends `x` and returns the value it pushed out, or NaN while the buffer is still filling. */
  push(x: number): number {
    if (this.count < this.capacity) {
      const i = this.head + this.count;
      this.slots[i >= this.capacity ? i - this.capacity : i] = x;
      this.count++;
      return NaN;
    }
    const evicted = this.slots[this.head]!;
    this.slots[this.head] = x;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    return evicted;
  }

  snapshot(): RingBufferSnapshot {
    const values: number[] = [];
    for (let k = 0; k < this.count; k++) values.push(this.slots[(this.head + k) % this.capacity]!);
    return { capacity: this.capacity, values };
  }

  restoreFrom(s: RingBufferSnapshot): void {
    if (s.capacity !== this.capacity || s.values.length > s.capacity) {
      throw new RangeError(`ring buffer snapshot does not fit a window of ${this.capacity}`);
    }
    this.head = 0;
    this.count = 0;
    for (const v of s.values) this.push(v);
  }

  writeState(w: StateWriter): void {
    w.number(this.capacity);
    w.number(this.count);
    for (let k = 0; k < this.count; k++) w.number(this.slots[(this.head + k) % this.capacity]!);
  }

  readState(r: StateReader): void {
    checkParameters('ring buffer', r.number() === this.capacity);
    const count = r.count(this.capacity);
    for (let i = 0; i < count; i++) this.slots[i] = r.number();
    this.head = 0;
    this.count = count;
  }
}
