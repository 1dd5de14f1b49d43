import type { RiskContext, TradingDayState } from '../../src/domain';
import {
  checkRiskLimits,
  DEFAULT_RISK_LIMITS,
  haltTradingForDay,
  recordRealized,
  RiskCode,
  tradingDayState,
} from '../../src/domain';
import { order, quote, T0 } from './fixtures';

const DAY_MS = 86_400_000;

function ctx(day: TradingDayState | null, now: number, bid: number): RiskContext {
  return {
    limits: DEFAULT_RISK_LIMITS,
    positions: new Map([['AAPL', { symbol: 'AAPL', qty: 100, avgPrice: 160, realizedPnl: -4_000 }]]),
    openOrders: [],
    quotes: new Map([['AAPL', quote(bid, bid + 0.1, { time: now })]]),
    day,
    recentOrderTimes: [],
    now,
    killSwitch: false,
    tradingEnabled: true,
  };
}

const smallBuy = order({ type: 'LIMIT', qty: 1, limitPrice: 150 });

describe('daily loss limit', () => {
  it('stops trading for the rest of the day once breached, and resumes the next day', () => {
    let day = recordRealized(null, -4_000, T0);

    // Realized -4,000 plus 100 shares marked at the bid 149.95 against 160: -1,005 -> -5,005.
    const breach = checkRiskLimits(smallBuy, ctx(day, T0, 149.95));
    expect(breach).toEqual({
      ok: false,
      code: RiskCode.DAILY_LOSS_LIMIT,
      message:
        "DAILY_LOSS_LIMIT: today's P&L of -$5,005.00 (realized -$4,000.00) breaches your daily loss limit of $5,000.00; trading is halted until the next trading day",
      haltTradingForDay: true,
    });
    day = haltTradingForDay(day, T0);

    // The price recovers, so P&L alone would pass: the halt still refuses every order today.
    const laterToday = T0 + 5 * 3_600_000;
    expect(checkRiskLimits(smallBuy, ctx(day, laterToday, 159))).toMatchObject({
      code: RiskCode.DAILY_LOSS_LIMIT,
      message:
        'DAILY_LOSS_LIMIT: trading is halted for 2024-03-06 after your daily loss limit of $5,000.00 was breached; it resumes next trading day',
      haltTradingForDay: false,
    });

    expect(checkRiskLimits(smallBuy, ctx(day, T0 + DAY_MS, 159))).toEqual({ ok: true });
  });

  it('allows trading while the loss is within the limit', () => {
    expect(checkRiskLimits(smallBuy, ctx(recordRealized(null, -3_900, T0), T0, 149.95)).ok).toBe(true);
  });

  it('rolls the day at midnight New York, not midnight UTC', () => {
    const halted = haltTradingForDay(null, T0);
    // 2024-03-07 03:00 UTC is still 22:00 on the 6th in New York.
    const lateEvening = Date.UTC(2024, 2, 7, 3);
    expect(tradingDayState(halted, lateEvening).tradingHaltedForDay).toBe(true);
    const afterMidnight = Date.UTC(2024, 2, 7, 5, 30);
    expect(tradingDayState(halted, afterMidnight)).toEqual({
      tradingDay: '2024-03-07',
      realizedPnl: 0,
      tradingHaltedForDay: false,
    });
  });

  it('accumulates realized P&L within a day and starts from zero on the next', () => {
    const day = recordRealized(recordRealized(null, 120, T0), -20, T0 + 1_000);
    expect(day.realizedPnl).toBe(100);
    expect(recordRealized(day, 5, T0 + DAY_MS).realizedPnl).toBe(5);
  });
});
