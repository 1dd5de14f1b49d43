import { AverageGain, AverageLoss, RSI as RefRSI } from 'technicalindicators';
import { RSI } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk } from './support/random-walk';
import { expectResumesIdentically } from './support/snapshot';

describe('RSI', () => {
  const { close } = randomWalk(4, 5000);
  const period = 14;

  function run(rsi: RSI, values: number[]): (number | undefined)[] {
    return values.map((v) => {
      rsi.update(v);
      return rsi.value;
    });
  }

  it("agrees with Wilder's RSI built from technicalindicators' average gain and loss", () => {
    // technicalindicators' RSI rounds to 2 decimals, so the tight comparison uses its averages.
    const gains = AverageGain.calculate({ period, values: close, format: identity });
    const losses = AverageLoss.calculate({ period, values: close, format: identity });
    const reference = gains.map((g, i) => 100 - 100 / (1 + g / losses[i]!));
    expectAligned(run(new RSI(period), close), reference);
  });

  it("matches technicalindicators' rounded RSI to its 2 decimals", () => {
    const rounded = run(new RSI(period), close).map((v) =>
      v === undefined ? undefined : Number(v.toFixed(2)),
    );
    expectAligned(rounded, RefRSI.calculate({ period, values: close }));
  });

  it('is warm after period + 1 closes', () => {
    const produced = run(new RSI(period), close.slice(0, period + 1));
    expect(produced.slice(0, period).every((v) => v === undefined)).toBe(true);
    expect(produced[period]).toEqual(expect.any(Number));
  });

  it('gives 100 without losses, 0 without gains and 50 for a flat series', () => {
    expect(run(new RSI(3), [1, 2, 3, 4]).at(-1)).toBe(100);
    expect(run(new RSI(3), [4, 3, 2, 1]).at(-1)).toBe(0);
    expect(run(new RSI(3), [5, 5, 5, 5, 5]).at(-1)).toBe(50);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    expectResumesIdentically(
      new RSI(period),
      (s) => RSI.restore(s),
      close.slice(0, 900),
      300,
      (r) => [r.value],
    );
  });
});
