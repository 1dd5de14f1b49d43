import { BollingerBands } from 'technicalindicators';
import { Bollinger } from '@tickstream/indicators';
import { expectAligned, identity, randomWalk } from './support/random-walk';
import { expectResumesIdentically } from './support/snapshot';

describe('Bollinger(20, 2)', () => {
  function run(b: Bollinger, values: number[]) {
    return values.map((v) => {
      b.update(v);
      return b.value;
    });
  }

  it.each([
    ['a $100 stock', 100],
    ['a $5,000 stock (where sum-of-squares variance would lose half its digits)', 5000],
  ])('agrees with technicalindicators (population std dev) for %s', (_, start) => {
    const { close } = randomWalk(6, 5000, start);
    const reference = BollingerBands.calculate({ period: 20, stdDev: 2, values: close, format: identity });
    const produced = run(new Bollinger(20, 2), close);
    type Band = (typeof reference)[number];
    const fields: [keyof NonNullable<(typeof produced)[number]>, (r: Band) => number][] = [
      ['middle', (r) => r.middle],
      ['upper', (r) => r.upper],
      ['lower', (r) => r.lower],
      ['percentB', (r) => r.pb],
      ['width', (r) => (r.upper - r.lower) / r.middle],
    ];
    for (const [ours, theirs] of fields)
      expectAligned(
        produced.map((p) => p?.[ours]),
        reference.map(theirs),
      );
  });

  it('keeps the variance accurate over a long stream', () => {
    const { close } = randomWalk(7, 300_000, 5000);
    const b = new Bollinger(20, 2);
    close.forEach((c) => b.update(c));
    const window = close.slice(-20);
    const mean = window.reduce((a, x) => a + x, 0) / 20;
    const sd = Math.sqrt(window.reduce((a, x) => a + (x - mean) ** 2, 0) / 20);
    expect(Math.abs(b.stdDev! - sd) / sd).toBeLessThan(1e-12);
  });

  it('reports zero width and %B 0.5 for a flat window, exactly', () => {
    const b = new Bollinger(20, 2);
    run(b, randomWalk(8, 50).close);
    run(b, Array(20).fill(101.37));
    expect(b.stdDev).toBe(0);
    expect(b.middle).toBe(101.37);
    expect(b.width).toBe(0);
    expect(b.percentB).toBe(0.5);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    const { close } = randomWalk(9, 1000);
    expectResumesIdentically(
      new Bollinger(),
      (s) => Bollinger.restore(s),
      close,
      333,
      (b) => [b.percentB, b.width],
    );
  });
});
