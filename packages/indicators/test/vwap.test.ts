import { SessionVWAP, newYorkDay } from '@tickstream/indicators';
import { MINUTE, randomWalk, viaJson } from './support/random-walk';

describe('SessionVWAP', () => {
  // Five-minute bars across three New York days including the 2025 spring DST change.
  const start = Date.UTC(2025, 2, 7, 9);
  const s = randomWalk(14, 3 * 288);
  const times = s.close.map((_, i) => start + i * 5 * MINUTE);

  function reference(i: number): number {
    let pv = 0;
    let v = 0;
    for (let j = i; j >= 0 && newYorkDay(times[j]!) === newYorkDay(times[i]!); j--) {
      const typical = (s.high[j]! + s.low[j]! + s.close[j]!) / 3;
      pv += typical * s.volume[j]!;
      v += s.volume[j]!;
    }
    return v > 0 ? pv / v : (s.high[i]! + s.low[i]! + s.close[i]!) / 3;
  }

  function update(vwap: SessionVWAP, i: number): void {
    vwap.update(times[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!);
  }

  it('is the volume-weighted typical price since New York midnight', () => {
    const vwap = new SessionVWAP();
    expect(vwap.value).toBeUndefined();
    times.forEach((_, i) => {
      update(vwap, i);
      const expected = reference(i);
      expect(Math.abs(vwap.value! - expected) / expected).toBeLessThan(1e-12);
    });
  });

  it('restarts at the first bar of a new New York day', () => {
    const vwap = new SessionVWAP();
    vwap.update(Date.UTC(2025, 2, 10, 3, 55), 11, 9, 10, 1000); // 23:55 EDT on the 9th
    vwap.update(Date.UTC(2025, 2, 10, 4, 0), 21, 19, 20, 10); // 00:00 EDT on the 10th
    expect(vwap.value).toBe(20);
  });

  it('falls back to the typical price while the session has no volume', () => {
    const vwap = new SessionVWAP();
    vwap.update(times[0]!, 12, 9, 9, 0);
    expect(vwap.value).toBe(10);
  });

  it('continues bit-identically after a JSON snapshot round trip', () => {
    const a = new SessionVWAP();
    for (let i = 0; i < 250; i++) update(a, i);
    const b = SessionVWAP.restore(viaJson(a.snapshot()));
    for (let i = 250; i < times.length; i++) {
      update(a, i);
      b.update(times[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!);
      expect(Object.is(b.value, a.value)).toBe(true);
    }
  });
});
