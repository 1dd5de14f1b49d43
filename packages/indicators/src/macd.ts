import type { EMASnapshot } from './ema';
import { EMA } from './ema';
import type { Stateful } from './state';
import type { StateReader, StateWriter } from './state-codec';

export interface MACDValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

export interface MACDSnapshot {
  readonly fast: EMASnapshot;
  readonly slow: EMASnapshot;
  readonly signal: EMASnapshot;
}

/**
 * MACD with EMA oscillators and an EMA signal (technicalindicators with SimpleMAOscillator and
 * SimpleMASignal both false). The line exists from bar `slow`; the signal, seeded with the SMA
 * of the first `signal` line values, from bar slow + signal - 1 (34 for 12/26/9), which is when
 * this indicator is warm.
 */
export class MACD implements Stateful<MACDSnapshot> {
  private readonly fast: EMA;
  private readonly slow: EMA;
  private readonly signalEma: EMA;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    this.fast = new EMA(fastPeriod);
    this.slow = new EMA(slowPeriod);
    this.signalEma = new EMA(signalPeriod);
  }

  get isWarm(): boolean {
    return this.signalEma.isWarm;
  }

  /** Fast EMA minus slow EMA; available before the signal is. */
  get line(): number | undefined {
    const fast = this.fast.value;
    const slow = this.slow.value;
    return fast === undefined || slow === undefined ? undefined : fast - slow;
  }

  get signal(): number | undefined {
    return this.signalEma.value;
  }

  get histogram(): number | undefined {
    const line = this.line;
    const signal = this.signalEma.value;
    return line === undefined || signal === undefined ? undefined : line - signal;
  }

  get value(): MACDValue | undefined {
    const macd = this.line;
    const signal = this.signalEma.value;
    return macd === undefined || signal === undefined
      ? undefined
      : { macd, signal, histogram: macd - signal };
  }

  update(close: number): void {
    this.fast.update(close);
    this.slow.update(close);
    const line = this.line;
    if (line !== undefined) this.signalEma.update(line);
  }

  snapshot(): MACDSnapshot {
    return { fast: this.fast.snapshot(), slow: this.slow.snapshot(), signal: this.signalEma.snapshot() };
  }

  restoreFrom(s: MACDSnapshot): void {
    this.fast.restoreFrom(s.fast);
    this.slow.restoreFrom(s.slow);
    this.signalEma.restoreFrom(s.signal);
  }

  writeState(w: StateWriter): void {
    this.fast.writeState(w);
    this.slow.writeState(w);
    this.signalEma.writeState(w);
  }

  readState(r: StateReader): void {
    this.fast.readState(r);
    this.slow.readState(r);
    this.signalEma.readState(r);
  }

  static restore(s: MACDSnapshot): MACD {
    const m = new MACD(s.fast.period, s.slow.period, s.signal.period);
    m.restoreFrom(s);
    return m;
  }
}
