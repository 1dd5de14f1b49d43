import { SMA as RefSMA, Stochastic as RefStochastic } from 'technicalindicators';
import { Stochastic } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk, viaJson } from './support/random-walk';

describe('Stochastic(14, 3, 3)', () => {
  const s = randomWalk(11, 5000);

  function run(st: Stochastic, from: number, to: number) {
    const out = [];
    for (let i = from; i < to; i++) {
      st.update(s.high[i]!, s.low[i]!, s.close[i]!);
      out.push({ fastK: st.fastK, k: st.k, d: st.d, value: st.value });
    }
    return out;
  }

  it('agrees with technicalindicators: its k is fast %K, its d is slow %K, %D is an SMA(3) of that', () => {
    const reference = RefStochastic.calculate({
      period: 14,
      signalPeriod: 3,
      high: s.high,
      low: s.low,
      close: s.close,
      format: identity,
    });
    const slowK = reference.filter((r) => r.d !== undefined).map((r) => r.d);
    const d = RefSMA.calculate({ period: 3, values: slowK, format: identity });
    const produced = run(new Stochastic(14, 3, 3), 0, s.close.length);
    expectAligned(
      produced.map((p) => p.fastK),
      reference.map((r) => r.k),
    );
    expectAligned(
      produced.map((p) => p.k),
      slowK,
    );
    expectAligned(
      produced.map((p) => p.d),
      d,
    );
    expectAligned(
      produced.map((p) => p.value?.d),
      d,
    );
    expect(produced.findIndex((p) => p.value !== undefined)).toBe(17);
  });

  it('gives a neutral 50 when the range is zero', () => {
    const st = new Stochastic(3, 1, 1);
    [1, 2, 3].forEach(() => st.update(7, 7, 7));
    expect(st.k).toBe(50);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    const a = new Stochastic();
    run(a, 0, 15);
    const b = Stochastic.restore(viaJson(a.snapshot()));
    const fromA = run(a, 15, 800);
    const fromB = run(b, 15, 800);
    fromB.forEach((v, i) => {
      expect(Object.is(v.k, fromA[i]!.k)).toBe(true);
      expect(Object.is(v.d, fromA[i]!.d)).toBe(true);
    });
  });
});
