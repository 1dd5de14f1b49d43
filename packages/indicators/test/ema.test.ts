import { EMA as RefEMA, WEMA as RefWEMA } from 'technicalindicators';
import { EMA } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk } from './support/random-walk';
import { expectResumesIdentically } from './support/snapshot';

describe('EMA', () => {
  const { close } = randomWalk(3, 5000);

  function run(ema: EMA, values: number[]): (number | undefined)[] {
    return values.map((v) => {
      ema.update(v);
      return ema.value;
    });
  }

  it.each([9, 12, 26])('agrees with technicalindicators (SMA-seeded) for period %i', (period) => {
    expectAligned(run(new EMA(period), close), RefEMA.calculate({ period, values: close, format: identity }));
  });

  it("Wilder's variant agrees with technicalindicators' WEMA", () => {
    expectAligned(
      run(EMA.wilder(14), close),
      RefWEMA.calculate({ period: 14, values: close, format: identity }),
    );
  });

  it('seeds with the mean of the first `period` values', () => {
    expect(run(new EMA(3), [1, 2, 6, 10])).toEqual([undefined, undefined, 3, 3 + (10 - 3) * 0.5]);
  });

  it('continues bit-identically after a JSON snapshot round trip, also mid-seed', () => {
    for (const cut of [5, 400])
      expectResumesIdentically(
        new EMA(26),
        (s) => EMA.restore(s),
        close.slice(0, cut + 500),
        cut,
        (e) => [e.value],
      );
  });
});
