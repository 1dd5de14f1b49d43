import { FEATURE_SET_VERSION } from '@tickstream/contracts';
import type { FeatureBar, FeatureValues } from './feature-values';
import { WARMUP_BARS } from './feature-values';
import type { IndicatorSetSnapshot } from './indicator-set';
import { IndicatorSet } from './indicator-set';
import { copyState } from '../state';
import { StateCodecError, StateReader, StateWriter } from '../state-codec';

/** What one bar did to an engine. `corrected` marks a re-emission for a bar already reported. */
export type FeatureResult =
  | {
      readonly kind: 'features';
      readonly barTime: number;
      readonly values: FeatureValues;
      readonly corrected: boolean;
    }
  | {
      readonly kind: 'warming';
      readonly barTime: number;
      readonly barsSeen: number;
      readonly barsNeeded: number;
      readonly corrected: boolean;
    }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'late' }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface FeatureEngineSnapshot {
  readonly featureSetVersion: string;
  /** Indicator state before the last applied bar: a correction of that bar is re-applied to it. */
  readonly previous: IndicatorSetSnapshot;
  /** The last applied bar (null before the first); the current state is `previous` plus this bar. */
  readonly lastBar: FeatureBar | null;
}

/** Operational counts since construction or restore; not part of snapshots. */
export interface FeatureEngineCounters {
  duplicates: number;
  late: number;
  corrections: number;
  /** Bars that followed the previous one by more than one interval. */
  gaps: number;
  invalid: number;
}

/**
 * The first bytes of an engine state in the binary layout: "TSE" and the layout's version. A
 * JSON snapshot starts with '{', so one look tells the two apart (features.state.v1 holds both
 * while replicas of older releases still write JSON).
 */
const STATE_HEADER = Uint8Array.of(0x54, 0x53, 0x45, 0x01);
/** The version's characters as bytes: it is ASCII (a name like fs1), and this package runs in browsers too. */
const FEATURE_SET = Uint8Array.from(FEATURE_SET_VERSION, (c) => c.charCodeAt(0));
/** One writer for every engine in the process: engines are encoded one at a time, synchronously. */
const writer = new StateWriter();

function checkFeatureSet(version: string): void {
  if (version !== FEATURE_SET_VERSION) {
    throw new StateCodecError(
      'STATE_FEATURE_SET_MISMATCH',
      `feature engine snapshot is for feature set ${version}, this engine computes ${FEATURE_SET_VERSION}`,
    );
  }
}

const DUPLICATE: FeatureResult = Object.freeze({ kind: 'duplicate' });
const LATE: FeatureResult = Object.freeze({ kind: 'late' });

/** Bars that can enter the indicators: one NaN or a non-positive price would poison every EMA and log return for good. */
function isUsable(bar: FeatureBar): boolean {
  return (
    Number.isFinite(bar.start_time) &&
    bar.interval_ms > 0 &&
    bar.low > 0 &&
    bar.high >= bar.low &&
    bar.high < Infinity &&
    bar.close > 0 &&
    bar.close < Infinity &&
    bar.volume >= 0 &&
    bar.volume < Infinity
  );
}

type MutableBar = { -readonly [K in keyof FeatureBar]: FeatureBar[K] };

/** Field by field, not a generic copy: it runs on every bar. */
function copyBar(from: FeatureBar, to: MutableBar): MutableBar {
  to.start_time = from.start_time;
  to.interval_ms = from.interval_ms;
  to.high = from.high;
  to.low = from.low;
  to.close = from.close;
  to.volume = from.volume;
  to.is_update = from.is_update;
  return to;
}

/**
 * The 13 features of one symbol, bar by bar (docs/FEATURES.md).
 *
 * @example
 * const engine = new FeatureEngine();
 * const r = engine.onBar(bar);
 * if (r.kind === 'features') publish(toFeatureVector(bar, r.values, Date.now()));
 */
export class FeatureEngine {
  readonly counters: FeatureEngineCounters = { duplicates: 0, late: 0, corrections: 0, gaps: 0, invalid: 0 };
  /**
   * Why two sets: a correction must be re-applied to the state before the bar it replaces.
   * Copying the whole state every bar (to keep it) costs more than applying each bar twice, so
   * `previous` trails one bar behind and catches up when the next bar arrives; the state is only
   * copied on a correction, which is rare.
   */
  private readonly current = new IndicatorSet();
  private readonly previous = new IndicatorSet();
  /** The last applied bar, copied into one reused object: the caller may reuse or mutate its own. */
  private readonly lastBar: MutableBar = {
    start_time: 0,
    interval_ms: 0,
    high: 0,
    low: 0,
    close: 0,
    volume: 0,
    is_update: false,
  };
  private hasBar = false;

  get barsSeen(): number {
    return this.current.barsSeen;
  }

  onBar(bar: FeatureBar): FeatureResult {
    if (!isUsable(bar)) {
      this.counters.invalid++;
      return {
        kind: 'invalid',
        reason: 'prices must be finite and positive with high >= low, volume finite and non-negative',
      };
    }
    const last = this.lastBar;
    if (!this.hasBar) return this.apply(bar, false);
    const t = bar.start_time;
    if (t < last.start_time) {
      this.counters.late++;
      return LATE;
    }
    if (t === last.start_time) {
      if (!bar.is_update) {
        this.counters.duplicates++;
        return DUPLICATE;
      }
      this.counters.corrections++;
      copyState(this.current, this.previous);
      return this.apply(bar, true);
    }
    if (t - last.start_time > bar.interval_ms) this.counters.gaps++;
    this.previous.update(last);
    return this.apply(bar, false);
  }

  snapshot(): FeatureEngineSnapshot {
    return {
      featureSetVersion: FEATURE_SET_VERSION,
      previous: this.previous.snapshot(),
      lastBar: this.hasBar ? { ...this.lastBar } : null,
    };
  }

  /** An engine that continues exactly where the snapshotted one stood. Throws for another feature-set version. */
  static restore(s: FeatureEngineSnapshot): FeatureEngine {
    checkFeatureSet(s.featureSetVersion);
    const engine = new FeatureEngine();
    engine.previous.restoreFrom(s.previous);
    engine.current.restoreFrom(s.previous);
    if (s.lastBar !== null) engine.reapply(s.lastBar);
    return engine;
  }

  /**
   * The snapshot's data in the binary layout (~1.3 KB against ~2.4 KB of JSON), written straight
   * from the indicators' fields: header, feature-set version, the last bar, then `previous`.
   */
  encode(): Uint8Array {
    writer.bytes(STATE_HEADER);
    writer.number(FEATURE_SET.length);
    writer.bytes(FEATURE_SET);
    writer.number(this.hasBar ? 1 : 0);
    if (this.hasBar) writer.fields(this.lastBar);
    this.previous.writeState(writer);
    return writer.take();
  }

  /** The engine `encode` wrote. Throws a StateCodecError for bytes of another layout, cut short or corrupt. */
  static decode(bytes: Uint8Array): FeatureEngine {
    const r = new StateReader(bytes);
    const header = r.bytes(STATE_HEADER.length);
    if (!header.every((b, i) => b === STATE_HEADER[i])) {
      throw new StateCodecError(
        'STATE_UNKNOWN_FORMAT',
        'engine state is not in a binary layout this release reads',
      );
    }
    checkFeatureSet(String.fromCharCode(...r.bytes(r.count(255))));
    const engine = new FeatureEngine();
    const hasBar = r.count(1) === 1;
    const bar: MutableBar = { ...engine.lastBar };
    if (hasBar) r.fields(bar);
    // The same bytes give both sets: `current` is `previous` plus the last bar.
    const previousAt = r.position;
    engine.previous.readState(r);
    r.end();
    engine.current.readState(new StateReader(bytes.subarray(previousAt)));
    if (hasBar) engine.reapply(bar);
    return engine;
  }

  private reapply(lastBar: FeatureBar): void {
    this.current.update(copyBar(lastBar, this.lastBar));
    this.hasBar = true;
  }

  private apply(bar: FeatureBar, corrected: boolean): FeatureResult {
    copyBar(bar, this.lastBar);
    this.hasBar = true;
    const set = this.current;
    set.update(bar);
    if (set.barsSeen < WARMUP_BARS) {
      return {
        kind: 'warming',
        barTime: bar.start_time,
        barsSeen: set.barsSeen,
        barsNeeded: WARMUP_BARS,
        corrected,
      };
    }
    return { kind: 'features', barTime: bar.start_time, values: set.features(bar), corrected };
  }
}
