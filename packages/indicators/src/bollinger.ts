import type { Stateful } from './state';
import { assignFields, checkParameters } from './state';
import type { StateReader, StateWriter } from './state-codec';
import type { RollingMomentsSnapshot } from './window/rolling-moments';
import { RollingMoments } from './window/rolling-moments';

export interface BollingerValue {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
  /** %B: (close - lower) / (upper - lower); 0.5 when the band has zero width. */
  readonly percentB: number;
  /** (upper - lower) / middle. */
  readonly width: number;
}

interface BollingerState {
  close: number;
}

export interface BollingerSnapshot extends Readonly<BollingerState> {
  readonly period: number;
  readonly multiplier: number;
  readonly moments: RollingMomentsSnapshot;
}

/**
 * Bollinger bands: SMA(period) +/- multiplier * population standard deviation, as
 * technicalindicators computes them. Warm after `period` closes. See RollingMoments for how the
 * variance stays accurate without rescanning the window.
 */
export class Bollinger implements Stateful<BollingerSnapshot> {
  private readonly moments: RollingMoments;
  private readonly state: BollingerState = { close: 0 };

  constructor(
    readonly period = 20,
    readonly multiplier = 2,
  ) {
    this.moments = new RollingMoments(period);
  }

  get isWarm(): boolean {
    return this.moments.isWarm;
  }

  get middle(): number | undefined {
    return this.moments.isWarm ? this.moments.mean : undefined;
  }

  get stdDev(): number | undefined {
    return this.moments.isWarm ? Math.sqrt(this.moments.variance) : undefined;
  }

  /** %B of the latest close. Computed from the deviation, not as a difference of the two bands, which would cancel digits. */
  get percentB(): number | undefined {
    if (!this.moments.isWarm) return undefined;
    const halfWidth = this.multiplier * Math.sqrt(this.moments.variance);
    return halfWidth === 0 ? 0.5 : (this.state.close - this.moments.mean + halfWidth) / (2 * halfWidth);
  }

  get width(): number | undefined {
    if (!this.moments.isWarm) return undefined;
    return (2 * this.multiplier * Math.sqrt(this.moments.variance)) / this.moments.mean;
  }

  get value(): BollingerValue | undefined {
    const middle = this.middle;
    const sd = this.stdDev;
    const percentB = this.percentB;
    const width = this.width;
    if (middle === undefined || sd === undefined || percentB === undefined || width === undefined)
      return undefined;
    return {
      middle,
      upper: middle + this.multiplier * sd,
      lower: middle - this.multiplier * sd,
      percentB,
      width,
    };
  }

  update(close: number): void {
    this.state.close = close;
    this.moments.push(close);
  }

  snapshot(): BollingerSnapshot {
    return {
      period: this.period,
      multiplier: this.multiplier,
      moments: this.moments.snapshot(),
      ...this.state,
    };
  }

  restoreFrom(s: BollingerSnapshot): void {
    checkParameters('Bollinger', s.period === this.period && s.multiplier === this.multiplier);
    this.moments.restoreFrom(s.moments);
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.number(this.period);
    w.number(this.multiplier);
    this.moments.writeState(w);
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    const [period, multiplier] = [r.number(), r.number()];
    checkParameters('Bollinger', period === this.period && multiplier === this.multiplier);
    this.moments.readState(r);
    r.fields(this.state);
  }

  static restore(s: BollingerSnapshot): Bollinger {
    const b = new Bollinger(s.period, s.multiplier);
    b.restoreFrom(s);
    return b;
  }
}
