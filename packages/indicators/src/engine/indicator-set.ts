import type { ATRSnapshot } from '../atr';
import { ATR } from '../atr';
import type { BollingerSnapshot } from '../bollinger';
import { Bollinger } from '../bollinger';
import type { LogReturnSnapshot } from '../log-return';
import { LogReturn } from '../log-return';
import type { MACDSnapshot } from '../macd';
import { MACD } from '../macd';
import type { RSISnapshot } from '../rsi';
import { RSI } from '../rsi';
import type { SMASnapshot } from '../sma';
import { SMA } from '../sma';
import type { StochasticSnapshot } from '../stochastic';
import { Stochastic } from '../stochastic';
import type { Stateful } from '../state';
import { assignFields } from '../state';
import type { StateReader, StateWriter } from '../state-codec';
import type { SessionVWAPSnapshot } from '../vwap';
import { SessionVWAP } from '../vwap';
import type { FeatureBar, FeatureValues } from './feature-values';

interface IndicatorSetState {
  barsSeen: number;
}

export interface IndicatorSetSnapshot extends Readonly<IndicatorSetState> {
  readonly ret1: LogReturnSnapshot;
  readonly ret5: LogReturnSnapshot;
  readonly bollinger: BollingerSnapshot;
  readonly macd: MACDSnapshot;
  readonly rsi: RSISnapshot;
  readonly atr: ATRSnapshot;
  readonly stochastic: StochasticSnapshot;
  readonly volume: SMASnapshot;
  readonly vwap: SessionVWAPSnapshot;
}

/** Every indicator behind the 13 features of one symbol, updated together. */
export class IndicatorSet implements Stateful<IndicatorSetSnapshot> {
  private readonly state: IndicatorSetState = { barsSeen: 0 };
  private readonly ret1 = new LogReturn(1);
  private readonly ret5 = new LogReturn(5);
  private readonly bollinger = new Bollinger(20, 2);
  private readonly macd = new MACD(12, 26, 9);
  private readonly rsi = new RSI(14);
  private readonly atr = new ATR(14);
  private readonly stochastic = new Stochastic(14, 3, 3);
  private readonly volume = new SMA(20);
  private readonly vwap = new SessionVWAP();
  /** The parts in the order of `snapshot()`, so the two layouts hold the same data in the same order. */
  private readonly parts: ReadonlyArray<Stateful<unknown>> = [
    this.ret1,
    this.ret5,
    this.bollinger,
    this.macd,
    this.rsi,
    this.atr,
    this.stochastic,
    this.volume,
    this.vwap,
  ];

  get barsSeen(): number {
    return this.state.barsSeen;
  }

  update(bar: FeatureBar): void {
    const { high, low, close, volume } = bar;
    this.ret1.update(close);
    this.ret5.update(close);
    this.bollinger.update(close);
    this.macd.update(close);
    this.rsi.update(close);
    this.atr.update(high, low, close);
    this.stochastic.update(high, low, close);
    this.volume.update(volume);
    this.vwap.update(bar.start_time, high, low, close, volume);
    this.state.barsSeen++;
  }

  /** The features of `bar`, which must be the last bar applied; meaningful once barsSeen >= WARMUP_BARS. */
  features(bar: FeatureBar): FeatureValues {
    const close = bar.close;
    const volumeAverage = this.volume.value ?? NaN;
    return {
      ret_1: this.ret1.value ?? NaN,
      ret_5: this.ret5.value ?? NaN,
      sma20_dist: close / (this.bollinger.middle ?? NaN) - 1,
      ema12_26_spread: (this.macd.line ?? NaN) / close,
      macd_hist_norm: (this.macd.histogram ?? NaN) / close,
      rsi14: (this.rsi.value ?? NaN) / 100,
      bb_pctb: this.bollinger.percentB ?? NaN,
      bb_width: this.bollinger.width ?? NaN,
      atr14_pct: (this.atr.value ?? NaN) / close,
      stoch_k: (this.stochastic.k ?? NaN) / 100,
      stoch_d: (this.stochastic.d ?? NaN) / 100,
      vol_ratio20: volumeAverage === 0 ? 1 : bar.volume / volumeAverage,
      vwap_dist: close / (this.vwap.value ?? NaN) - 1,
    };
  }

  snapshot(): IndicatorSetSnapshot {
    return {
      ...this.state,
      ret1: this.ret1.snapshot(),
      ret5: this.ret5.snapshot(),
      bollinger: this.bollinger.snapshot(),
      macd: this.macd.snapshot(),
      rsi: this.rsi.snapshot(),
      atr: this.atr.snapshot(),
      stochastic: this.stochastic.snapshot(),
      volume: this.volume.snapshot(),
      vwap: this.vwap.snapshot(),
    };
  }

  /** Overwrites this set with a snapshot; the snapshot's windows must match this set's. */
  restoreFrom(s: IndicatorSetSnapshot): void {
    assignFields(this.state, s);
    this.ret1.restoreFrom(s.ret1);
    this.ret5.restoreFrom(s.ret5);
    this.bollinger.restoreFrom(s.bollinger);
    this.macd.restoreFrom(s.macd);
    this.rsi.restoreFrom(s.rsi);
    this.atr.restoreFrom(s.atr);
    this.stochastic.restoreFrom(s.stochastic);
    this.volume.restoreFrom(s.volume);
    this.vwap.restoreFrom(s.vwap);
  }

  writeState(w: StateWriter): void {
    w.fields(this.state);
    for (const part of this.parts) part.writeState(w);
  }

  readState(r: StateReader): void {
    r.fields(this.state);
    for (const part of this.parts) part.readState(r);
  }
}
