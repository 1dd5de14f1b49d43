import type { Stateful } from '../state';
import type { StateReader, StateWriter } from '../state-codec';
import { assignFields } from '../state';

interface CompensatedSumState {
  sum: number;
  compensation: number;
}

export type CompensatedSumSnapshot = Readonly<CompensatedSumState>;

/**
 * Neumaier (improved Kahan) summation. Rolling windows add each value once and subtract it
 * once when it leaves; with a plain double the rounding error of every step stays in the sum
 * forever and grows with the stream's length. Here each step's rounding error is captured
 * exactly and carried in `compensation`, so the error of `value` stays near one ulp of the
 * window's true sum no matter how many values have passed through.
 */
export class CompensatedSum implements Stateful<CompensatedSumSnapshot> {
  private readonly state: CompensatedSumState = { sum: 0, compensation: 0 };

  get value(): number {
    return this.state.sum + this.state.compensation;
  }

  add(x: number): void {
    const s = this.state;
    const t = s.sum + x;
    s.compensation += Math.abs(s.sum) >= Math.abs(x) ? s.sum - t + x : x - t + s.sum;
    s.sum = t;
  }

  snapshot(): CompensatedSumSnapshot {
    return { ...this.state };
  }

  restoreFrom(s: CompensatedSumSnapshot): void {
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    r.fields(this.state);
  }
}
