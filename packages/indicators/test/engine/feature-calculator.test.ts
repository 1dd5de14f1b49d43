import { FeatureCalculator, FeatureEngine } from '@tickstream/indicators';
import { randomWalk, toBars, viaJson } from '../support/random-walk';

describe('FeatureCalculator', () => {
  const aapl = toBars(randomWalk(41, 80)).map((b) => ({ ...b, symbol: 'AAPL' }));
  const msft = toBars(randomWalk(42, 80, 400)).map((b) => ({ ...b, symbol: 'MSFT' }));

  it('keeps one engine per symbol, so interleaved symbols do not mix', () => {
    const calc = new FeatureCalculator();
    const interleaved = aapl.flatMap((b, i) => [calc.onBar(b), calc.onBar(msft[i]!)]);
    const alone = new FeatureEngine();
    expect(interleaved.filter((_, i) => i % 2 === 0)).toEqual(aapl.map((b) => alone.onBar(b)));
    expect(calc.size).toBe(2);
    expect([...calc.symbols()].sort()).toEqual(['AAPL', 'MSFT']);
  });

  it('snapshots, restores and forgets a symbol', () => {
    const calc = new FeatureCalculator();
    aapl.slice(0, 50).forEach((b) => calc.onBar(b));
    const snap = viaJson(calc.snapshot('AAPL')!);
    expect(calc.snapshot('MSFT')).toBeUndefined();
    expect(calc.delete('AAPL')).toBe(true);
    expect(calc.engine('AAPL')).toBeUndefined();
    calc.adopt('AAPL', FeatureEngine.restore(snap));
    expect(calc.engine('AAPL')!.barsSeen).toBe(50);
    const reference = new FeatureCalculator();
    aapl.slice(0, 50).forEach((b) => reference.onBar(b));
    aapl.slice(50).forEach((b) => expect(calc.onBar(b)).toEqual(reference.onBar(b)));
  });
});
