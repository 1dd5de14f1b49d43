import { directionLabels } from '../../src/eval/series';
import { walkForwardSplits } from '../../src/eval/splits';

// Two symbols, interleaved rows, 60 bars each; symbol B starts 5 bars later.
const symbol: string[] = [];
const time: number[] = [];
for (let t = 0; t < 65; t++) {
  for (const s of t < 5 ? ['A'] : t < 60 ? ['A', 'B'] : ['B']) {
    symbol.push(s);
    time.push(t);
  }
}

describe('walk-forward splits', () => {
  const H = 3;
  const folds = walkForwardSplits(time, symbol, { folds: 4, embargo: H });

  it('train strictly before test, no overlap, embargo of H bars per symbol', () => {
    expect(folds).toHaveLength(4);
    for (const f of folds) {
      const train = new Set(f.train);
      expect(f.test.every((r) => !train.has(r))).toBe(true);
      expect(Math.max(...Array.from(f.train, (r) => time[r] as number))).toBeLessThan(f.testStart);
      for (const s of ['A', 'B']) {
        const lastTrain = Math.max(
          ...Array.from(f.train)
            .filter((r) => symbol[r] === s)
            .map((r) => time[r] as number),
        );
        const firstTest = Math.min(
          ...Array.from(f.test)
            .filter((r) => symbol[r] === s)
            .map((r) => time[r] as number),
        );
        // Bars are 1 apart, so H bars between them means a time gap of H + 1.
        expect(firstTest - lastTrain).toBe(H + 1);
      }
    }
  });

  it('expands the training window and tiles the test periods in order', () => {
    for (let k = 1; k < folds.length; k++) {
      expect((folds[k] as (typeof folds)[0]).train.length).toBeGreaterThan(
        (folds[k - 1] as (typeof folds)[0]).train.length,
      );
      expect((folds[k] as (typeof folds)[0]).testStart).toBe((folds[k - 1] as (typeof folds)[0]).testEnd);
    }
    expect(folds[folds.length - 1]?.testEnd).toBe(Infinity);
  });

  it('labels look H bars ahead within a symbol and leave the last H bars unlabelled', () => {
    const close = time.map((t, i) => (symbol[i] === 'A' ? 100 + t : 100 - t));
    const { y, previous } = directionLabels(close, symbol, time, { horizon: H, neutralBand: 0 });
    const a = [...y].filter((_, i) => symbol[i] === 'A');
    expect(a.slice(0, 57).every((v) => v === 1)).toBe(true);
    expect(a.slice(57)).toEqual([-1, -1, -1]);
    expect([...previous].filter((_, i) => symbol[i] === 'B').slice(0, 4)).toEqual([-1, -1, -1, 0]);
    const banded = directionLabels(close, symbol, time, { horizon: H, neutralBand: 0.5 });
    expect([...banded.y].every((v) => v === -1)).toBe(true);
  });
});
