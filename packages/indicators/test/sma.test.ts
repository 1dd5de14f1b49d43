import { SMA as RefSMA } from 'technicalindicators';
import { SMA } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk } from './support/random-walk';
import { expectResumesIdentically } from './support/snapshot';

describe('SMA', () => {
  const { close } = randomWalk(1, 5000);

  it.each([1, 3, 20, 50])('agrees with technicalindicators for period %i', (period) => {
    const sma = new SMA(period);
    const produced = close.map((c) => {
      sma.update(c);
      return sma.value;
    });
    expectAligned(produced, RefSMA.calculate({ period, values: close, format: identity }));
  });

  it('is warm exactly after `period` values', () => {
    const sma = new SMA(3);
    sma.update(1);
    sma.update(2);
    expect(sma.isWarm).toBe(false);
    expect(sma.value).toBeUndefined();
    sma.update(6);
    expect(sma.isWarm).toBe(true);
    expect(sma.value).toBe(3);
  });

  it('does not drift over a long stream (compensated sum)', () => {
    const sma = new SMA(20);
    const values = randomWalk(2, 200_000, 5000).close;
    values.forEach((v) => sma.update(v));
    const exact = values.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(Math.abs(sma.value! - exact)).toBeLessThanOrEqual(2 * Number.EPSILON * exact);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    expectResumesIdentically(
      new SMA(20),
      (s) => SMA.restore(s),
      close.slice(0, 1500),
      777,
      (m) => [m.value],
    );
  });

  it('rejects a snapshot whose window does not match its period', () => {
    const s = new SMA(5).snapshot();
    expect(() => SMA.restore({ ...s, period: 6 })).toThrow(RangeError);
  });
});
