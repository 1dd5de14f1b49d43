import { newYorkOffsetMs, sessionCloseAfter, tradingDayOf } from '../../src/domain';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('newYorkOffsetMs', () => {
  it('switches to EDT at 02:00 EST on the second Sunday of March', () => {
    expect(newYorkOffsetMs(Date.parse('2024-03-10T06:59:59Z'))).toBe(-5 * HOUR);
    expect(newYorkOffsetMs(Date.parse('2024-03-10T07:00:00Z'))).toBe(-4 * HOUR);
  });

  it('switches back to EST at 02:00 EDT on the first Sunday of November', () => {
    expect(newYorkOffsetMs(Date.parse('2024-11-03T05:59:59Z'))).toBe(-4 * HOUR);
    expect(newYorkOffsetMs(Date.parse('2024-11-03T06:00:00Z'))).toBe(-5 * HOUR);
  });

  it('follows the rule in other years (2025: March 9 and November 2)', () => {
    expect(newYorkOffsetMs(Date.parse('2025-03-09T06:59:00Z'))).toBe(-5 * HOUR);
    expect(newYorkOffsetMs(Date.parse('2025-03-09T07:00:00Z'))).toBe(-4 * HOUR);
    expect(newYorkOffsetMs(Date.parse('2025-11-02T05:59:00Z'))).toBe(-4 * HOUR);
    expect(newYorkOffsetMs(Date.parse('2025-11-02T06:00:00Z'))).toBe(-5 * HOUR);
  });
});

describe('sessionCloseAfter', () => {
  it.each([
    ['during a winter session', '2024-03-08T15:00:00Z', '2024-03-08T21:00:00Z'],
    ['during a summer session', '2024-07-10T15:00:00Z', '2024-07-10T20:00:00Z'],
    ['after Friday close, into the first EDT week', '2024-03-08T22:00:00Z', '2024-03-11T20:00:00Z'],
    ['after Friday close, into the first EST week', '2024-11-01T21:00:00Z', '2024-11-04T21:00:00Z'],
    ['on a Saturday', '2024-07-13T15:00:00Z', '2024-07-15T20:00:00Z'],
    ['exactly at the close', '2024-07-10T20:00:00Z', '2024-07-11T20:00:00Z'],
    ['in the evening, before UTC midnight', '2024-07-10T23:30:00Z', '2024-07-11T20:00:00Z'],
    ['before the open', '2024-07-10T05:00:00Z', '2024-07-10T20:00:00Z'],
  ])('%s', (_name, at, close) => {
    expect(iso(sessionCloseAfter(Date.parse(at)))).toBe(close.replace('Z', '.000Z'));
  });
});

describe('tradingDayOf', () => {
  it('uses the New York calendar date', () => {
    expect(tradingDayOf(Date.parse('2024-03-07T03:00:00Z'))).toBe('2024-03-06');
    expect(tradingDayOf(Date.parse('2024-07-07T04:00:00Z'))).toBe('2024-07-07');
    expect(tradingDayOf(Date.parse('2024-07-07T03:59:59Z'))).toBe('2024-07-06');
  });
});
