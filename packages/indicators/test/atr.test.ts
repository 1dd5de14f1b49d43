import { ATR as RefATR } from 'technicalindicators';
import { ATR } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk, viaJson } from './support/random-walk';

describe('ATR(14)', () => {
  const s = randomWalk(10, 5000);

  function run(atr: ATR, from: number, to: number): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    for (let i = from; i < to; i++) {
      atr.update(s.high[i]!, s.low[i]!, s.close[i]!);
      out.push(atr.value);
    }
    return out;
  }

  it('agrees with technicalindicators and is warm after 15 bars', () => {
    const produced = run(new ATR(14), 0, s.close.length);
    expectAligned(
      produced,
      RefATR.calculate({ period: 14, high: s.high, low: s.low, close: s.close, format: identity }),
    );
    expect(produced.findIndex((v) => v !== undefined)).toBe(14);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    const a = new ATR(14);
    run(a, 0, 100);
    const b = ATR.restore(viaJson(a.snapshot()));
    const fromA = run(a, 100, 700);
    const fromB = run(b, 100, 700);
    fromB.forEach((v, i) => expect(Object.is(v, fromA[i])).toBe(true));
  });
});
