const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Calendar year of a day number (the year half of Hinnant's civil_from_days). */
function yearOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const monthFromMarch = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (monthFromMarch >= 10 ? 1 : 0);
}

function nthSunday(year: number, month: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  const weekday = (((first + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return first + ((7 - weekday) % 7) + 7 * (n - 1);
}

/**
 * Whether US Eastern daylight time is in effect at a UTC instant, by the rules in force since
 * 2007: from the second Sunday of March, 02:00 EST (07:00 UTC), to the first Sunday of November,
 * 02:00 EDT (06:00 UTC). Earlier instants are judged by the same rules.
 */
export function isEasternDaylightTime(utcMs: number): boolean {
  const year = yearOfDay(Math.floor(utcMs / DAY_MS));
  return (
    utcMs >= nthSunday(year, 3, 2) * DAY_MS + 7 * HOUR_MS &&
    utcMs < nthSunday(year, 11, 1) * DAY_MS + 6 * HOUR_MS
  );
}

/** The America/New_York calendar date of a UTC instant, as days since 1970-01-01. */
export function newYorkDay(utcMs: number): number {
  return Math.floor((utcMs - (isEasternDaylightTime(utcMs) ? 4 : 5) * HOUR_MS) / DAY_MS);
}

/** UTC instant of midnight in New York at the start of `day`. Transitions happen at 02:00, so midnight is never ambiguous. */
function newYorkMidnight(day: number): number {
  const ifDaylight = day * DAY_MS + 4 * HOUR_MS;
  return newYorkDay(ifDaylight) === day ? ifDaylight : ifDaylight + HOUR_MS;
}

export interface NewYorkSession {
  /** New York calendar date, days since 1970-01-01. */
  readonly day: number;
  /** [startMs, endMs): the UTC span of that date (23, 24 or 25 hours). */
  readonly startMs: number;
  readonly endMs: number;
}

/** The New York calendar day containing a UTC instant, with its UTC bounds so callers can cache it. */
export function newYorkSession(utcMs: number): NewYorkSession {
  const day = newYorkDay(utcMs);
  return { day, startMs: newYorkMidnight(day), endMs: newYorkMidnight(day + 1) };
}
