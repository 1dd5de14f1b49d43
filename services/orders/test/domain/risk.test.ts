import type { Quote } from '@tickstream/contracts';
import type { OpenOrder, Position, RiskContext, RiskLimits } from '../../src/domain';
import { checkRiskLimits, dec, DEFAULT_RISK_LIMITS, RiskCode } from '../../src/domain';
import { order, quote, T0 } from './fixtures';

function ctx(
  overrides: Partial<RiskContext> & { quoteList?: Quote[]; positionList?: Position[] } = {},
): RiskContext {
  const { quoteList = [quote(149.95, 150.05)], positionList = [], ...rest } = overrides;
  return {
    limits: DEFAULT_RISK_LIMITS,
    positions: new Map(positionList.map((p) => [p.symbol, p])),
    openOrders: [],
    quotes: new Map(quoteList.map((q) => [q.symbol, q])),
    day: null,
    recentOrderTimes: [],
    now: T0,
    killSwitch: false,
    tradingEnabled: true,
    ...rest,
  };
}

const limits = (l: Partial<RiskLimits>): RiskLimits => ({ ...DEFAULT_RISK_LIMITS, ...l });
const limitBuy = (qty: number, limitPrice: number, symbol = 'AAPL') =>
  order({ type: 'LIMIT', qty, limitPrice, symbol });
const pos = (symbol: string, qty: number, avgPrice: number): Position => ({
  symbol,
  qty,
  avgPrice: dec(avgPrice),
  realizedPnl: dec(0),
});
const open = (
  symbol: string,
  side: 'BUY' | 'SELL',
  remainingQty: number,
  price: number | null,
): OpenOrder => ({
  orderId: `open-${symbol}-${side}`,
  accountId: 'acct-1',
  symbol,
  side,
  remainingQty,
  price,
});

describe('checkRiskLimits', () => {
  it('accepts an ordinary order', () => {
    expect(checkRiskLimits(limitBuy(100, 150), ctx())).toEqual({ ok: true });
  });

  it('KILL_SWITCH refuses every order, before any other limit', () => {
    const result = checkRiskLimits(limitBuy(100, 150), ctx({ killSwitch: true, tradingEnabled: false }));
    expect(result).toEqual({
      ok: false,
      code: RiskCode.KILL_SWITCH,
      message: 'KILL_SWITCH: all trading is stopped by the platform kill switch',
      halt: null,
    });
  });

  it('TRADING_DISABLED refuses orders of an account with trading switched off', () => {
    const result = checkRiskLimits(limitBuy(1, 150), ctx({ tradingEnabled: false }));
    expect(result).toMatchObject({ ok: false, code: RiskCode.TRADING_DISABLED });
  });

  it('SYMBOL_DENIED wins over the allow list; SYMBOL_NOT_ALLOWED when an allow list lacks the symbol', () => {
    const both = limits({ allowedSymbols: ['AAPL'], deniedSymbols: ['AAPL'] });
    expect(checkRiskLimits(limitBuy(1, 150), ctx({ limits: both }))).toMatchObject({
      code: RiskCode.SYMBOL_DENIED,
      message: "SYMBOL_DENIED: AAPL is on your account's deny list",
    });
    const onlyMsft = limits({ allowedSymbols: ['MSFT'] });
    expect(checkRiskLimits(limitBuy(1, 150), ctx({ limits: onlyMsft }))).toMatchObject({
      code: RiskCode.SYMBOL_NOT_ALLOWED,
      message: "SYMBOL_NOT_ALLOWED: AAPL is not on your account's allow list",
    });
    expect(checkRiskLimits(limitBuy(1, 150), ctx({ limits: limits({ allowedSymbols: ['AAPL'] }) })).ok).toBe(
      true,
    );
  });

  it('compares symbols of the lists normalised: a list stored as [" aapl"] still names AAPL', () => {
    expect(
      checkRiskLimits(limitBuy(1, 150), ctx({ limits: limits({ deniedSymbols: ['aapl'] }) })),
    ).toMatchObject({ code: RiskCode.SYMBOL_DENIED });
    expect(
      checkRiskLimits(limitBuy(1, 150), ctx({ limits: limits({ deniedSymbols: [' Aapl '] }) })),
    ).toMatchObject({ code: RiskCode.SYMBOL_DENIED });
    expect(checkRiskLimits(limitBuy(1, 150), ctx({ limits: limits({ allowedSymbols: ['aapl'] }) })).ok).toBe(
      true,
    );
    expect(
      checkRiskLimits(limitBuy(1, 150), ctx({ limits: limits({ allowedSymbols: ['msft'] }) })),
    ).toMatchObject({ code: RiskCode.SYMBOL_NOT_ALLOWED });
  });

  describe('ORDER_RATE_LIMIT', () => {
    const tenRecent = Array.from({ length: 10 }, (_, i) => T0 - 45_000 + i * 1_000);

    it('refuses the 11th order in a rolling minute and says when to retry', () => {
      expect(checkRiskLimits(limitBuy(1, 150), ctx({ recentOrderTimes: tenRecent }))).toMatchObject({
        code: RiskCode.ORDER_RATE_LIMIT,
        message:
          'ORDER_RATE_LIMIT: 10 orders in the last 60s reach your limit of 10 per minute; retry in 15s',
      });
    });

    it('forgets orders once they are a full minute old', () => {
      const aged = [T0 - 60_000, ...tenRecent.slice(1)];
      expect(checkRiskLimits(limitBuy(1, 150), ctx({ recentOrderTimes: aged })).ok).toBe(true);
    });
  });

  describe('NO_MARKET_DATA', () => {
    it('refuses a market order without a quote', () => {
      expect(checkRiskLimits(order({ qty: 1 }), ctx({ quoteList: [] }))).toMatchObject({
        code: RiskCode.NO_MARKET_DATA,
        message: 'NO_MARKET_DATA: no usable quote for AAPL, so a market order cannot be priced',
      });
    });

    it('treats a crossed quote as no quote', () => {
      const crossed = quote(150.1, 150.0);
      expect(checkRiskLimits(order({ qty: 1 }), ctx({ quoteList: [crossed] }))).toMatchObject({
        code: RiskCode.NO_MARKET_DATA,
      });
    });

    it('lets a limit order through without a quote (its limit price prices it)', () => {
      expect(checkRiskLimits(limitBuy(10, 150), ctx({ quoteList: [] })).ok).toBe(true);
    });
  });

  it('PRICE_BAND refuses a limit price too far from the mid, in either direction', () => {
    expect(checkRiskLimits(limitBuy(10, 166), ctx())).toMatchObject({
      code: RiskCode.PRICE_BAND,
      message: 'PRICE_BAND: limit price $166.00 is 10.7% from the AAPL mid of $150.00; your band is 10%',
    });
    expect(checkRiskLimits(limitBuy(10, 134), ctx())).toMatchObject({ code: RiskCode.PRICE_BAND });
    expect(checkRiskLimits(limitBuy(10, 165), ctx()).ok).toBe(true);
  });

  it('MAX_ORDER_QTY refuses a share count above the limit even when the notional is small', () => {
    const penny = quote(0.99, 1.01, { symbol: 'PNY' });
    expect(checkRiskLimits(limitBuy(10_001, 1, 'PNY'), ctx({ quoteList: [penny] }))).toMatchObject({
      code: RiskCode.MAX_ORDER_QTY,
      message: 'MAX_ORDER_QTY: order quantity 10,001 exceeds your limit of 10,000 shares',
    });
  });

  describe('MAX_ORDER_NOTIONAL', () => {
    it('prices a market buy at the ask', () => {
      expect(checkRiskLimits(order({ qty: 100 }), ctx({ quoteList: [quote(522.9, 523)] }))).toMatchObject({
        code: RiskCode.MAX_ORDER_NOTIONAL,
        message: 'MAX_ORDER_NOTIONAL: order notional $52,300.00 exceeds your limit of $50,000.00',
      });
    });

    it('prices a market sell at the bid', () => {
      const q = quote(499, 501);
      expect(checkRiskLimits(order({ side: 'SELL', qty: 100 }), ctx({ quoteList: [q] })).ok).toBe(true);
      expect(checkRiskLimits(order({ side: 'BUY', qty: 100 }), ctx({ quoteList: [q] })).ok).toBe(false);
    });

    it('prices a buy stop that the quote triggers at once at the ask, not at its stop', () => {
      const stop = order({ type: 'STOP', stopPrice: 1, qty: 400 });
      expect(checkRiskLimits(stop, ctx())).toMatchObject({
        code: RiskCode.MAX_ORDER_NOTIONAL,
        message: 'MAX_ORDER_NOTIONAL: order notional $60,020.00 exceeds your limit of $50,000.00',
      });
    });
  });

  describe('MAX_POSITION_NOTIONAL', () => {
    it('counts the position and same-side open orders after the trade', () => {
      const result = checkRiskLimits(
        limitBuy(100, 150),
        ctx({ positionList: [pos('AAPL', 500, 140)], openOrders: [open('AAPL', 'BUY', 100, 149)] }),
      );
      expect(result).toMatchObject({
        code: RiskCode.MAX_POSITION_NOTIONAL,
        message:
          'MAX_POSITION_NOTIONAL: AAPL position would reach $105,000.00 (700 shares counting open orders, at $150.00), above your limit of $100,000.00',
      });
    });

    it('lets an order that shrinks an oversized position through', () => {
      const sell = order({ type: 'LIMIT', side: 'SELL', qty: 100, limitPrice: 150 });
      expect(checkRiskLimits(sell, ctx({ positionList: [pos('AAPL', 800, 140)] })).ok).toBe(true);
    });
  });

  it('MAX_GROSS_EXPOSURE sums |notional| over symbols, shorts included', () => {
    const quotes = [
      quote(149.95, 150.05),
      quote(399.9, 400.1, { symbol: 'MSFT' }),
      quote(199.9, 200.1, { symbol: 'TSLA' }),
    ];
    const positions = [pos('MSFT', 300, 380), pos('TSLA', -200, 210)];
    expect(
      checkRiskLimits(limitBuy(300, 150), ctx({ quoteList: quotes, positionList: positions })),
    ).toMatchObject({
      code: RiskCode.MAX_GROSS_EXPOSURE,
      message:
        'MAX_GROSS_EXPOSURE: gross exposure would reach $205,000.00 (now $160,000.00, counting open orders), above your limit of $200,000.00',
    });
    expect(checkRiskLimits(limitBuy(260, 150), ctx({ quoteList: quotes, positionList: positions })).ok).toBe(
      true,
    );
  });

  it('returns the first failure in the documented order', () => {
    const everythingWrong = ctx({
      killSwitch: true,
      tradingEnabled: false,
      limits: limits({ deniedSymbols: ['AAPL'], maxOrderQty: 1 }),
      quoteList: [],
    });
    const seen: string[] = [];
    let c: RiskContext = everythingWrong;
    const relax: ((c: RiskContext) => RiskContext)[] = [
      (x) => ({ ...x, killSwitch: false }),
      (x) => ({ ...x, tradingEnabled: true }),
      (x) => ({ ...x, limits: limits({ maxOrderQty: 1 }) }),
      (x) => ({ ...x, quotes: new Map([['AAPL', quote(149.95, 150.05)]]) }),
      (x) => ({ ...x, limits: DEFAULT_RISK_LIMITS }),
    ];
    for (const step of [...relax, null]) {
      const result = checkRiskLimits(order({ qty: 10 }), c);
      seen.push(result.ok ? 'OK' : result.code);
      if (step) c = step(c);
    }
    expect(seen).toEqual([
      'KILL_SWITCH',
      'TRADING_DISABLED',
      'SYMBOL_DENIED',
      'NO_MARKET_DATA',
      'MAX_ORDER_QTY',
      'OK',
    ]);
  });
});
