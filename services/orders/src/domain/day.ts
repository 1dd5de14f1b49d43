import { tradingDayOf } from './session';

/**
 * What the daily loss limit remembers about one account's trading day. Keyed by the New York
 * date, so a state from yesterday is simply stale: reading it through `tradingDayState` yields a
 * fresh day, and a halt lifts at midnight New York without anyone having to reset it.
 */
export interface TradingDayState {
  /** New York date, `YYYY-MM-DD`. */
  readonly tradingDay: string;
  /** Realized P&L of this day's fills, USD. */
  readonly realizedPnl: number;
  /** Set once the daily loss limit was breached; every new order is refused until the day ends. */
  readonly tradingHaltedForDay: boolean;
}

/** The state for the day containing `now`: `state` itself if it is today's, else a fresh day. */
export function tradingDayState(state: TradingDayState | null, now: number): TradingDayState {
  const today = tradingDayOf(now);
  if (state !== null && state.tradingDay === today) return state;
  return { tradingDay: today, realizedPnl: 0, tradingHaltedForDay: false };
}

/** Adds the realized P&L of a fill made at `time`. */
export function recordRealized(
  state: TradingDayState | null,
  realized: number,
  time: number,
): TradingDayState {
  const day = tradingDayState(state, time);
  return { ...day, realizedPnl: day.realizedPnl + realized };
}

/** Marks the day containing `now` as halted; call when a check returns `haltTradingForDay`. */
export function haltTradingForDay(state: TradingDayState | null, now: number): TradingDayState {
  return { ...tradingDayState(state, now), tradingHaltedForDay: true };
}
