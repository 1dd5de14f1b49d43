import type { Stateful } from '../state';
import { checkParameters } from '../state';
import type { StateReader, StateWriter } from '../state-codec';

export interface RollingExtremumSnapshot {
  readonly period: number;
  readonly kind: 'max' | 'min';
  /** Number of values pushed so far. */
  readonly pushed: number;
  /** The candidate deque, front (the current extremum) first: push sequence numbers and values. */
  readonly seqs: readonly number[];
  readonly values: readonly number[];
}

/**
 * Maximum (or minimum) of the last `period` values in amortised O(1): a monotonic deque keeps
 * only values that can still become the extremum, so nothing is rescanned. Both the deque's
 * values and its sequence numbers live in fixed typed arrays (a value can be queued at most once,
 * so `period` slots suffice).
 */
export class RollingExtremum implements Stateful<RollingExtremumSnapshot> {
  private readonly sign: 1 | -1;
  private readonly values: Float64Array;
  private readonly seqs: Float64Array;
  private head = 0;
  private length = 0;
  private pushed = 0;

  constructor(
    readonly period: number,
    readonly kind: 'max' | 'min',
  ) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`period must be a positive integer, got ${period}`);
    // Minima are maxima of negated values; negation is exact, so one code path serves both.
    this.sign = kind === 'max' ? 1 : -1;
    this.values = new Float64Array(period);
    this.seqs = new Float64Array(period);
  }

  get isWarm(): boolean {
    return this.pushed >= this.period;
  }

  /** Extremum of the last `period` values; undefined until that many have been pushed. */
  get value(): number | undefined {
    return this.isWarm ? this.sign * this.values[this.head]! : undefined;
  }

  update(x: number): void {
    const n = this.period;
    const v = this.sign * x;
    if (this.length > 0 && this.seqs[this.head]! <= this.pushed - n) {
      this.head = this.head + 1 === n ? 0 : this.head + 1;
      this.length--;
    }
    while (this.length > 0) {
      const back = (this.head + this.length - 1) % n;
      if (this.values[back]! > v) break;
      this.length--;
    }
    const slot = (this.head + this.length) % n;
    this.values[slot] = v;
    this.seqs[slot] = this.pushed;
    this.length++;
    this.pushed++;
  }

  snapshot(): RollingExtremumSnapshot {
    const seqs: number[] = [];
    const values: number[] = [];
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % this.period;
      seqs.push(this.seqs[i]!);
      values.push(this.sign * this.values[i]!);
    }
    return { period: this.period, kind: this.kind, pushed: this.pushed, seqs, values };
  }

  restoreFrom(s: RollingExtremumSnapshot): void {
    if (s.period !== this.period || s.kind !== this.kind) {
      throw new RangeError(`rolling extremum snapshot does not fit a ${this.kind} over ${this.period}`);
    }
    if (s.seqs.length !== s.values.length || s.seqs.length > s.period) {
      throw new RangeError('rolling extremum snapshot is inconsistent');
    }
    s.seqs.forEach((seq, i) => {
      this.seqs[i] = seq;
      this.values[i] = this.sign * s.values[i]!;
    });
    this.head = 0;
    this.length = s.seqs.length;
    this.pushed = s.pushed;
  }

  /** The deque as it is held (values with the sign applied), front first. */
  writeState(w: StateWriter): void {
    w.number(this.period);
    w.number(this.sign);
    w.number(this.pushed);
    w.number(this.length);
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % this.period;
      w.number(this.seqs[i]!);
      w.number(this.values[i]!);
    }
  }

  readState(r: StateReader): void {
    const [period, sign] = [r.number(), r.number()];
    checkParameters('rolling extremum', period === this.period && sign === this.sign);
    this.pushed = r.number();
    this.length = r.count(this.period);
    for (let i = 0; i < this.length; i++) {
      this.seqs[i] = r.number();
      this.values[i] = r.number();
    }
    this.head = 0;
  }

  static restore(s: RollingExtremumSnapshot): RollingExtremum {
    const r = new RollingExtremum(s.period, s.kind);
    r.restoreFrom(s);
    return r;
  }
}
