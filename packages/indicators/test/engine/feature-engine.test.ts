import { ATR, AverageGain, AverageLoss, BollingerBands, SMA, Stochastic } from 'technicalindicators';
import { FEATURE_NAMES } from '@tickstream/contracts';
import type { FeatureBar, FeatureResult, FeatureValues } from '@tickstream/indicators';
import { FeatureEngine, WARMUP_BARS, newYorkDay } from '@tickstream/indicators';
import { MINUTE, expectClose, identity, randomWalk, toBars, viaJson } from '../support/random-walk';
import { referenceMacd } from '../support/reference';

const bars = toBars(randomWalk(21, 2000));

function feed(engine: FeatureEngine, input: FeatureBar[]): FeatureResult[] {
  return input.map((b) => engine.onBar(b));
}

function valuesOf(results: FeatureResult[]): FeatureValues[] {
  return results.flatMap((r) => (r.kind === 'features' ? [r.values] : []));
}

/** Every value of every vector the same double (Object.is), not merely close. */
function expectIdentical(actual: FeatureValues[], expected: FeatureValues[]): void {
  expect(actual).toHaveLength(expected.length);
  const mismatches = actual.flatMap((v, i) =>
    FEATURE_NAMES.filter((n) => !Object.is(v[n], expected[i]![n])).map(
      (n) => `#${i} ${n}: ${v[n]} vs ${expected[i]![n]}`,
    ),
  );
  expect(mismatches).toEqual([]);
}

describe('FeatureEngine', () => {
  it(`warms up for ${WARMUP_BARS} bars (26 + 9 - 1, the MACD signal), then emits every bar`, () => {
    const results = feed(new FeatureEngine(), bars.slice(0, 40));
    results.slice(0, WARMUP_BARS - 1).forEach((r, i) => {
      expect(r).toEqual({
        kind: 'warming',
        barTime: bars[i]!.start_time,
        barsSeen: i + 1,
        barsNeeded: 34,
        corrected: false,
      });
    });
    results.slice(WARMUP_BARS - 1).forEach((r) => expect(r.kind).toBe('features'));
  });

  it('computes the 13 features as defined in docs/FEATURES.md', () => {
    const results = feed(new FeatureEngine(), bars);
    const high = bars.map((b) => b.high);
    const low = bars.map((b) => b.low);
    const close = bars.map((b) => b.close);
    const volume = bars.map((b) => b.volume);
    // Reference outputs start when their indicator warms up; index them from the end.
    const at = <T>(xs: T[], i: number): T => xs[xs.length - bars.length + i]!;
    const bb = BollingerBands.calculate({ period: 20, stdDev: 2, values: close, format: identity });
    const macd = referenceMacd(close);
    const atr = ATR.calculate({ period: 14, high, low, close, format: identity });
    const fastK = Stochastic.calculate({ period: 14, signalPeriod: 3, high, low, close, format: identity });
    const slowK = fastK.filter((s) => s.d !== undefined).map((s) => s.d);
    const d = SMA.calculate({ period: 3, values: slowK, format: identity });
    const volSma = SMA.calculate({ period: 20, values: volume, format: identity });
    const gains = AverageGain.calculate({ period: 14, values: close, format: identity });
    const losses = AverageLoss.calculate({ period: 14, values: close, format: identity });
    for (let i = WARMUP_BARS - 1; i < bars.length; i++) {
      const r = results[i]!;
      if (r.kind !== 'features') throw new Error(`bar ${i} gave ${r.kind}`);
      const v = r.values;
      const c = close[i]!;
      const band = at(bb, i);
      const m = at(macd, i);
      expect(v.ret_1).toBe(Math.log(c / close[i - 1]!));
      expect(v.ret_5).toBe(Math.log(c / close[i - 5]!));
      expectClose(v.sma20_dist, c / band.middle - 1);
      expectClose(v.ema12_26_spread, m.MACD! / c);
      expectClose(v.macd_hist_norm, m.histogram! / c);
      expectClose(v.bb_pctb, band.pb);
      expectClose(v.bb_width, (band.upper - band.lower) / band.middle);
      expectClose(v.atr14_pct, at(atr, i) / c);
      expectClose(v.stoch_k, at(slowK, i) / 100);
      expectClose(v.stoch_d, at(d, i) / 100);
      const vs = at(volSma, i);
      expectClose(v.vol_ratio20, vs === 0 ? 1 : volume[i]! / vs);
      expectClose(v.rsi14, (100 - 100 / (1 + at(gains, i) / at(losses, i))) / 100);
      let pv = 0;
      let vol = 0;
      for (let j = i; j >= 0 && newYorkDay(bars[j]!.start_time) === newYorkDay(bars[i]!.start_time); j--) {
        pv += ((high[j]! + low[j]! + close[j]!) / 3) * volume[j]!;
        vol += volume[j]!;
      }
      expectClose(v.vwap_dist, vol > 0 ? c / (pv / vol) - 1 : c / ((high[i]! + low[i]! + c) / 3) - 1);
    }
  });

  it('ignores a duplicate bar and drops a late one without touching the state', () => {
    const engine = new FeatureEngine();
    const clean = valuesOf(feed(new FeatureEngine(), bars.slice(0, 100)));
    const produced: FeatureResult[] = [];
    bars.slice(0, 100).forEach((b, i) => {
      produced.push(engine.onBar(b));
      if (i === 50) expect(engine.onBar({ ...b, close: b.close * 2 })).toEqual({ kind: 'duplicate' });
      if (i === 60) expect(engine.onBar(bars[59]!)).toEqual({ kind: 'late' });
      if (i === 70) expect(engine.onBar({ ...bars[10]!, is_update: true })).toEqual({ kind: 'late' });
    });
    expectIdentical(valuesOf(produced), clean);
    expect(engine.counters).toEqual({ duplicates: 1, late: 2, corrections: 0, gaps: 0, invalid: 0 });
  });

  it('re-applies a corrected last bar to the state before it, as if the correction had come first', () => {
    for (const at of [5, 33, 34, 500]) {
      const corrected = {
        ...bars[at]!,
        high: bars[at]!.high * 1.01,
        close: bars[at]!.close * 1.005,
        volume: 77,
        is_update: true,
      };
      const expected = feed(new FeatureEngine(), [
        ...bars.slice(0, at),
        corrected,
        ...bars.slice(at + 1, at + 50),
      ]);
      const engine = new FeatureEngine();
      feed(engine, bars.slice(0, at + 1));
      const first = engine.onBar({ ...corrected, close: corrected.close * 1.1 });
      const second = engine.onBar(corrected);
      expect(first).toMatchObject({ barTime: bars[at]!.start_time, corrected: true });
      expect(second).toEqual({ ...expected[at], corrected: true });
      const rest = feed(engine, bars.slice(at + 1, at + 50));
      expectIdentical(valuesOf([second, ...rest]), valuesOf(expected.slice(at)));
      expect(engine.counters.corrections).toBe(2);
    }
  });

  it('treats bars after a gap as consecutive and counts the gap', () => {
    const gapped = bars
      .slice(0, 200)
      .map((b, i) => (i >= 120 ? { ...b, start_time: b.start_time + 7 * MINUTE } : b));
    const engine = new FeatureEngine();
    expectIdentical(valuesOf(feed(engine, gapped)), valuesOf(feed(new FeatureEngine(), bars.slice(0, 200))));
    expect(engine.counters.gaps).toBe(1);
  });

  it('rejects unusable bars without touching the state', () => {
    const engine = new FeatureEngine();
    const produced = bars.slice(0, 60).flatMap((b, i) => {
      if (i !== 40) return [engine.onBar(b)];
      for (const bad of [
        { close: NaN },
        { close: 0 },
        { low: -1 },
        { high: b.low / 2 },
        { volume: -5 },
        { volume: Infinity },
      ]) {
        expect(engine.onBar({ ...b, ...bad }).kind).toBe('invalid');
      }
      return [engine.onBar(b)];
    });
    expectIdentical(valuesOf(produced), valuesOf(feed(new FeatureEngine(), bars.slice(0, 60))));
    expect(engine.counters.invalid).toBe(6);
  });

  it('continues bit-identically after snapshot, JSON round trip and restore, corrections included', () => {
    const reference = new FeatureEngine();
    const expected = feed(reference, bars);
    for (const cut of [0, 1, 20, 34, 35, 777]) {
      const engine = new FeatureEngine();
      feed(engine, bars.slice(0, cut));
      const restored = FeatureEngine.restore(viaJson(engine.snapshot()));
      expect(restored.barsSeen).toBe(cut);
      expectIdentical(valuesOf(feed(restored, bars.slice(cut))), valuesOf(expected.slice(cut)));
    }
    const engine = new FeatureEngine();
    feed(engine, bars.slice(0, 300));
    const restored = FeatureEngine.restore(viaJson(engine.snapshot()));
    const correction = { ...bars[299]!, close: bars[299]!.close * 0.99, is_update: true };
    expect(restored.onBar(correction)).toEqual(engine.onBar(correction));
    expectIdentical(valuesOf(feed(restored, bars.slice(300))), valuesOf(feed(engine, bars.slice(300))));
  });

  it('refuses a snapshot of another feature-set version', () => {
    const s = new FeatureEngine().snapshot();
    expect(() => FeatureEngine.restore({ ...s, featureSetVersion: 'fs0' })).toThrow(/fs0/);
  });
});
