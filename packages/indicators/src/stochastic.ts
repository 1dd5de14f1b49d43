import type { SMASnapshot } from './sma';
import { SMA } from './sma';
import type { Stateful } from './state';
import { assignFields } from './state';
import type { StateReader, StateWriter } from './state-codec';
import type { RollingExtremumSnapshot } from './window/rolling-extremum';
import { RollingExtremum } from './window/rolling-extremum';

export interface StochasticValue {
  /** Fast %K: 100 * (close - lowest low) / (highest high - lowest low) over `period` bars. */
  readonly fastK: number;
  /** Slow %K: SMA(smoothK) of fast %K. */
  readonly k: number;
  /** %D: SMA(smoothD) of slow %K. */
  readonly d: number;
}

interface StochasticState {
  fastK: number;
}

export interface StochasticSnapshot extends Readonly<StochasticState> {
  readonly highs: RollingExtremumSnapshot;
  readonly lows: RollingExtremumSnapshot;
  readonly slowK: SMASnapshot;
  readonly d: SMASnapshot;
}

/**
 * Slow stochastic oscillator on a 0-100 scale. Fast %K is technicalindicators' k and slow %K its
 * d; %D smooths once more. When the period's range is zero fast %K is the neutral 50
 * (technicalindicators says 0). Warm after period + smoothK + smoothD - 2 bars (18 for 14/3/3).
 */
export class Stochastic implements Stateful<StochasticSnapshot> {
  private readonly highs: RollingExtremum;
  private readonly lows: RollingExtremum;
  private readonly state: StochasticState = { fastK: 0 };
  private readonly slowK: SMA;
  private readonly dSma: SMA;

  constructor(period = 14, smoothK = 3, smoothD = 3) {
    this.highs = new RollingExtremum(period, 'max');
    this.lows = new RollingExtremum(period, 'min');
    this.slowK = new SMA(smoothK);
    this.dSma = new SMA(smoothD);
  }

  get isWarm(): boolean {
    return this.dSma.isWarm;
  }

  get fastK(): number | undefined {
    return this.highs.isWarm ? this.state.fastK : undefined;
  }

  get k(): number | undefined {
    return this.slowK.value;
  }

  get d(): number | undefined {
    return this.dSma.value;
  }

  get value(): StochasticValue | undefined {
    const k = this.slowK.value;
    const d = this.dSma.value;
    return k === undefined || d === undefined ? undefined : { fastK: this.state.fastK, k, d };
  }

  update(high: number, low: number, close: number): void {
    this.highs.update(high);
    this.lows.update(low);
    const hh = this.highs.value;
    const ll = this.lows.value;
    if (hh === undefined || ll === undefined) return;
    const fastK = hh === ll ? 50 : ((close - ll) / (hh - ll)) * 100;
    this.state.fastK = fastK;
    this.slowK.update(fastK);
    const k = this.slowK.value;
    if (k !== undefined) this.dSma.update(k);
  }

  snapshot(): StochasticSnapshot {
    return {
      highs: this.highs.snapshot(),
      lows: this.lows.snapshot(),
      ...this.state,
      slowK: this.slowK.snapshot(),
      d: this.dSma.snapshot(),
    };
  }

  restoreFrom(s: StochasticSnapshot): void {
    this.highs.restoreFrom(s.highs);
    this.lows.restoreFrom(s.lows);
    assignFields(this.state, s);
    this.slowK.restoreFrom(s.slowK);
    this.dSma.restoreFrom(s.d);
  }

  writeState(w: StateWriter): void {
    this.highs.writeState(w);
    this.lows.writeState(w);
    w.fields(this.state);
    this.slowK.writeState(w);
    this.dSma.writeState(w);
  }

  readState(r: StateReader): void {
    this.highs.readState(r);
    this.lows.readState(r);
    r.fields(this.state);
    this.slowK.readState(r);
    this.dSma.readState(r);
  }

  /** A snapshot whose windows disagree (not a max and a min over one period) throws a RangeError. */
  static restore(s: StochasticSnapshot): Stochastic {
    const st = new Stochastic(s.highs.period, s.slowK.period, s.d.period);
    st.restoreFrom(s);
    return st;
  }
}
