import { isEasternDaylightTime, newYorkDay, newYorkSession } from '@tickstream/indicators';
import { mulberry32 } from '@tickstream/contracts';

const DAY = 86_400_000;
const nyDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const nyHour = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: 'numeric',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** The reference: the ICU time zone database, via Intl (too slow for the hot path, fine for tests). */
function referenceDay(t: number): number {
  return Date.parse(`${nyDate.format(t)}T00:00:00Z`) / DAY;
}

describe('New York calendar', () => {
  it('agrees with the time zone database on 20,000 random instants, 2007-2045', () => {
    const rand = mulberry32(13);
    const from = Date.UTC(2007, 0, 1);
    const to = Date.UTC(2045, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const t = Math.floor(from + rand() * (to - from));
      expect(newYorkDay(t)).toBe(referenceDay(t));
      expect(isEasternDaylightTime(t)).toBe(nyHour.format(t).endsWith('EDT'));
    }
  });

  it.each([
    ['DST starts (2025-03-09 02:00 EST)', Date.UTC(2025, 2, 9, 7)],
    ['DST ends (2025-11-02 02:00 EDT)', Date.UTC(2025, 10, 2, 6)],
    ['New York midnight in summer', Date.UTC(2025, 6, 4, 4)],
    ['New York midnight in winter', Date.UTC(2025, 0, 2, 5)],
  ])('switches exactly at %s', (_, t) => {
    for (const dt of [-1, 0, 1]) {
      expect(newYorkDay(t + dt)).toBe(referenceDay(t + dt));
      expect(isEasternDaylightTime(t + dt)).toBe(nyHour.format(t + dt).endsWith('EDT'));
    }
  });

  it('gives the UTC bounds of the session, 23 and 25 hours long on DST days', () => {
    const spring = newYorkSession(Date.UTC(2025, 2, 9, 12));
    expect(spring).toEqual({
      day: referenceDay(Date.UTC(2025, 2, 9, 12)),
      startMs: Date.UTC(2025, 2, 9, 5),
      endMs: Date.UTC(2025, 2, 10, 4),
    });
    const fall = newYorkSession(Date.UTC(2025, 10, 2, 12));
    expect(fall.endMs - fall.startMs).toBe(25 * 3_600_000);
    expect(fall.startMs).toBe(Date.UTC(2025, 10, 2, 4));
  });
});
