import { LogReturn } from '@tickstream/indicators';
import { randomWalk } from './support/random-walk';
import { expectResumesIdentically } from './support/snapshot';

describe('LogReturn', () => {
  const { close } = randomWalk(12, 3000);

  it.each([1, 5])('is ln(close_t / close_t-%i), warm after lag + 1 closes', (lag) => {
    const r = new LogReturn(lag);
    close.forEach((c, i) => {
      r.update(c);
      if (i < lag) expect(r.value).toBeUndefined();
      else expect(r.value).toBe(Math.log(c / close[i - lag]!));
    });
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    expectResumesIdentically(
      new LogReturn(5),
      (s) => LogReturn.restore(s),
      close.slice(0, 200),
      3,
      (r) => [r.value],
    );
  });
});
