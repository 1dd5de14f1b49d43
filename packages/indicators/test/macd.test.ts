import { MACD } from '@tickstream/indicators';
import { expectAligned, randomWalk } from './support/random-walk';
import { referenceMacd } from './support/reference';
import { expectResumesIdentically } from './support/snapshot';

describe('MACD(12, 26, 9)', () => {
  const { close } = randomWalk(5, 5000);
  const reference = referenceMacd(close);

  it('agrees with technicalindicators on line, signal and histogram', () => {
    const macd = new MACD();
    const produced = close.map((c) => {
      macd.update(c);
      return { line: macd.line, signal: macd.signal, histogram: macd.histogram, value: macd.value };
    });
    expectAligned(
      produced.map((p) => p.line),
      reference.map((r) => r.MACD!),
    );
    const withSignal = reference.filter((r) => r.signal !== undefined);
    expectAligned(
      produced.map((p) => p.signal),
      withSignal.map((r) => r.signal!),
    );
    expectAligned(
      produced.map((p) => p.histogram),
      withSignal.map((r) => r.histogram!),
    );
    expectAligned(
      produced.map((p) => p.value?.histogram),
      withSignal.map((r) => r.histogram!),
    );
  });

  it('has its line from bar 26 and is warm from bar 34', () => {
    const macd = new MACD();
    close.slice(0, 25).forEach((c) => macd.update(c));
    expect(macd.line).toBeUndefined();
    macd.update(close[25]!);
    expect(macd.line).toEqual(expect.any(Number));
    close.slice(26, 33).forEach((c) => macd.update(c));
    expect(macd.isWarm).toBe(false);
    expect(macd.value).toBeUndefined();
    macd.update(close[33]!);
    expect(macd.isWarm).toBe(true);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    expectResumesIdentically(
      new MACD(),
      (s) => MACD.restore(s),
      close.slice(0, 600),
      30,
      (m) => [m.histogram, m.line],
    );
  });
});
