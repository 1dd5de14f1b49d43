/**
 * US equity session times in America/New_York without `Intl`: the matching loop asks for the
 * close on every DAY order, and the US DST rule (since 2007) is two lines of arithmetic.
 * DST runs from 02:00 local on the second Sunday of March to 02:00 local on the first Sunday of
 * November. Exchange holidays and half days are not modelled: a DAY order placed on a holiday
 * expires at 16:00 that day.
 */

import type { Money } from './money';
import { ZERO } from './money';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STANDARD_OFFSET = -5 * HOUR;
const DAYLIGHT_OFFSET = -4 * HOUR;
const CLOSE_HOUR = 16;

/** Day of month of the n-th Sunday (n >= 1) of a month, by the proleptic Gregorian calendar. */
function nthSunday(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1);
}

/**
 * Offset of New York from UTC at an instant. The switch instants are expressed on the standard
 * time wall clock: 02:00 EST in March, and 01:00 EST (= 02:00 EDT) in November.
 */
export function newYorkOffsetMs(utcMs: number): number {
  const standardWall = utcMs + STANDARD_OFFSET;
  const year = new Date(standardWall).getUTCFullYear();
  const start = Date.UTC(year, 2, nthSunday(year, 2, 2), 2);
  const end = Date.UTC(year, 10, nthSunday(year, 10, 1), 1);
  return standardWall >= start && standardWall < end ? DAYLIGHT_OFFSET : STANDARD_OFFSET;
}

/** New York wall-clock time of an instant, as a Date whose UTC fields read as local fields. */
function newYorkWall(utcMs: number): Date {
  return new Date(utcMs + newYorkOffsetMs(utcMs));
}

/** UTC instant of a New York wall-clock time, valid for times outside the 01:00-03:00 switch hours. */
function fromNewYorkWall(year: number, month: number, day: number, hour: number): number {
  const wall = Date.UTC(year, month, day, hour);
  return wall - newYorkOffsetMs(wall - STANDARD_OFFSET);
}

/** New York calendar date of an instant, `YYYY-MM-DD`; the daily loss limit resets when it changes. */
export function tradingDayOf(utcMs: number): string {
  return newYorkWall(utcMs).toISOString().slice(0, 10);
}

/**
 * The first 16:00 New York close strictly after `utcMs` on a weekday: the moment a DAY order placed
 * at `utcMs` expires. An order placed after the close, or at the weekend, works until the next
 * weekday's close.
 */
export function sessionCloseAfter(utcMs: number): number {
  const wall = newYorkWall(utcMs);
  let y = wall.getUTCFullYear();
  let m = wall.getUTCMonth();
  let d = wall.getUTCDate();
  for (let i = 0; i < 8; i++) {
    const weekday = new Date(Date.UTC(y, m, d)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const close = fromNewYorkWall(y, m, d, CLOSE_HOUR);
      if (close > utcMs) return close;
    }
    const next = new Date(Date.UTC(y, m, d) + DAY);
    y = next.getUTCFullYear();
    m = next.getUTCMonth();
    d = next.getUTCDate();
  }
  throw new RangeError(`no session close within a week of ${new Date(utcMs).toISOString()}`);
}

/**
 * A daily-loss halt as the check that found the breach saw it: the limit then in force and the
 * P&L that breached it, so the rejections that follow name those, not a limit an admin has since
 * changed. Null fields only on halts recorded before these were kept.
 */
export interface DayHalt {
  /** When the breach was found, ms since the epoch. */
  readonly at: number | null;
  /** The daily loss limit breached, USD. */
  readonly limit: Money | null;
  /** Today's P&L (realized plus unrealized) that breached it, USD. */
  readonly pnl: Money | null;
}

/**
 * What the daily loss limit remembers about one account's trading day. Keyed by the New York
 * date, so a state from yesterday is simply stale: reading it through `tradingDayState` yields a
 * fresh day, and a halt lifts at midnight New York without anyone having to reset it. An admin
 * may lift it earlier (the gateway clears `halt`); the next order is checked afresh.
 */
export interface TradingDayState {
  /** New York date, `YYYY-MM-DD`. */
  readonly tradingDay: string;
  /** Realized P&L of this day's fills, USD, in cents. */
  readonly realizedPnl: Money;
  /** Set once the daily loss limit was breached; every new order is refused until the day ends or an admin lifts it. */
  readonly halt: DayHalt | null;
}

/** The state for the day containing `now`: `state` itself if it is today's, else a fresh day. */
export function tradingDayState(state: TradingDayState | null, now: number): TradingDayState {
  const today = tradingDayOf(now);
  if (state !== null && state.tradingDay === today) return state;
  return { tradingDay: today, realizedPnl: ZERO, halt: null };
}

/** Adds the realized P&L of a fill made at `time`. */
export function recordRealized(
  state: TradingDayState | null,
  realized: Money | number | string,
  time: number,
): TradingDayState {
  const day = tradingDayState(state, time);
  return { ...day, realizedPnl: day.realizedPnl.plus(realized) };
}

/** Halts the day containing `halt.at`; call with the `halt` a risk check returned. */
export function haltTradingForDay(
  state: TradingDayState | null,
  halt: DayHalt & { readonly at: number },
): TradingDayState {
  return { ...tradingDayState(state, halt.at), halt };
}
