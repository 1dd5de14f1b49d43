import type { RiskContext, TradingDayState } from '../../src/domain';
import {
  checkRiskLimits,
  dec,
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
    positions: new Map([
      ['AAPL', { symbol: 'AAPL', qty: 100, avgPrice: dec(160), realizedPnl: dec(-4_000) }],
    ]),
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
    expect(breach).toMatchObject({
      ok: false,
      code: RiskCode.DAILY_LOSS_LIMIT,
      message:
        "DAILY_LOSS_LIMIT: today's P&L of -$5,005.00 (realized -$4,000.00) breaches your daily loss limit of $5,000.00; trading is halted until the next trading day",
    });
    if (breach.ok || !breach.halt) throw new Error('expected a fresh halt');
    expect(breach.halt.at).toBe(T0);
    expect(String(breach.halt.limit)).toBe('5000');
    expect(String(breach.halt.pnl)).toBe('-5005');
    day = haltTradingForDay(day, breach.halt);

    // The price recovers, so P&L alone would pass: the halt still refuses every order today.
    const laterToday = T0 + 5 * 3_600_000;
    expect(checkRiskLimits(smallBuy, ctx(day, laterToday, 159))).toMatchObject({
      code: RiskCode.DAILY_LOSS_LIMIT,
      message:
        "DAILY_LOSS_LIMIT: trading is halted for 2024-03-06: today's P&L reached -$5,005.00 against your daily loss limit of $5,000.00; it resumes next trading day unless an admin lifts the halt",
      halt: null,
    });

    expect(checkRiskLimits(smallBuy, ctx(day, T0 + DAY_MS, 159))).toEqual({ ok: true });
  });

  it('names the limit that was breached, not the one in force when the halted account tries again', () => {
    const strict = { ...DEFAULT_RISK_LIMITS, dailyLossLimit: 1_000 };
    const start = recordRealized(null, -500, T0);
    // -500 realized plus (159.4 - 160) x 100 = -60 open: -560 is within 1,000; at 149.95 it is -1,505.
    expect(checkRiskLimits(smallBuy, { ...ctx(start, T0, 159.4), limits: strict }).ok).toBe(true);
    const breach = checkRiskLimits(smallBuy, { ...ctx(start, T0, 149.95), limits: strict });
    if (breach.ok || !breach.halt) throw new Error('expected a fresh halt');
    const halted = haltTradingForDay(start, breach.halt);

    // The admin has since dropped the override: the account is back on the $5,000 default.
    const later = checkRiskLimits(smallBuy, ctx(halted, T0 + 60_000, 149.95));
    expect(later).toMatchObject({ code: RiskCode.DAILY_LOSS_LIMIT, halt: null });
    if (later.ok) throw new Error('expected a rejection');
    expect(later.message).toContain('-$1,505.00 against your daily loss limit of $1,000.00');
    expect(later.message).not.toContain('$5,000');
  });

  it('allows trading while the loss is within the limit', () => {
    expect(checkRiskLimits(smallBuy, ctx(recordRealized(null, -3_900, T0), T0, 149.95)).ok).toBe(true);
  });

  it('rolls the day at midnight New York, not midnight UTC', () => {
    const halted = haltTradingForDay(null, { at: T0, limit: dec(5_000), pnl: dec(-6_000) });
    // 2024-03-07 03:00 UTC is still 22:00 on the 6th in New York.
    const lateEvening = Date.UTC(2024, 2, 7, 3);
    expect(tradingDayState(halted, lateEvening).halt).not.toBeNull();
    const afterMidnight = Date.UTC(2024, 2, 7, 5, 30);
    const next = tradingDayState(halted, afterMidnight);
    expect(next.tradingDay).toBe('2024-03-07');
    expect(String(next.realizedPnl)).toBe('0');
    expect(next.halt).toBeNull();
  });

  it('accumulates realized P&L within a day and starts from zero on the next', () => {
    const day = recordRealized(recordRealized(null, 120, T0), -20, T0 + 1_000);
    expect(String(day.realizedPnl)).toBe('100');
    expect(String(recordRealized(day, 5, T0 + DAY_MS).realizedPnl)).toBe('5');
  });
});
