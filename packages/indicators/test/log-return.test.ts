import { LogReturn } from '@tickstream/indicators';
import { randomWalk, viaJson } from './support/random-walk';

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
    const a = new LogReturn(5);
    close.slice(0, 3).forEach((c) => a.update(c));
    const b = LogReturn.restore(viaJson(a.snapshot()));
    close.slice(3, 200).forEach((c) => {
      a.update(c);
      b.update(c);
      expect(Object.is(b.value, a.value)).toBe(true);
    });
  });
});
