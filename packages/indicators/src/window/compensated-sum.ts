export interface CompensatedSumSnapshot {
  readonly sum: number;
  readonly compensation: number;
}

/**
 * Neumaier (improved Kahan) summation. Rolling windows add each value once and subtract it
 * once when it leaves; with a plain double the rounding error of every step stays in the sum
 * forever and grows with the stream's length. Here each step's rounding error is captured
 * exactly and carried in `compensation`, so the error of `value` stays near one ulp of the
 * window's true sum no matter how many values have passed through.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  get value(): number {
    return this.sum + this.compensation;
  }

  add(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  copyFrom(other: CompensatedSum): void {
    this.sum = other.sum;
    this.compensation = other.compensation;
  }

  snapshot(): CompensatedSumSnapshot {
    return { sum: this.sum, compensation: this.compensation };
  }

  static restore(s: CompensatedSumSnapshot): CompensatedSum {
    const c = new CompensatedSum();
    c.sum = s.sum;
    c.compensation = s.compensation;
    return c;
  }
}
