import { RollingExtremum } from '../../src/window/rolling-extremum';
import { mulberry32 } from '@tickstream/contracts';
import { expectResumesIdentically } from '../support/snapshot';

describe('RollingExtremum', () => {
  const rand = mulberry32(15);
  // Coarse values so that ties, which the deque must handle, are frequent.
  const values = Array.from({ length: 5000 }, () => Math.floor(rand() * 50));

  it.each([1, 2, 14, 60])('matches a brute-force max and min over %i values', (period) => {
    const max = new RollingExtremum(period, 'max');
    const min = new RollingExtremum(period, 'min');
    values.forEach((v, i) => {
      max.update(v);
      min.update(v);
      if (i + 1 < period) {
        expect(max.value).toBeUndefined();
        return;
      }
      const window = values.slice(i + 1 - period, i + 1);
      expect(max.value).toBe(Math.max(...window));
      expect(min.value).toBe(Math.min(...window));
    });
  });

  it('continues identically after a JSON snapshot round trip', () => {
    expectResumesIdentically(
      new RollingExtremum(14, 'min'),
      (s) => RollingExtremum.restore(s),
      values.slice(0, 600),
      100,
      (r) => [r.value],
    );
  });
});
