import type { Fill, Position, RiskContext } from '../../src/domain';
import {
  applyFill,
  checkRiskLimits,
  dayPnl,
  DEFAULT_RISK_LIMITS,
  flatPosition,
  formatUsd,
  recordRealized,
  unrealizedPnl,
} from '../../src/domain';
import { order, quote, T0 } from './fixtures';

const buy = (qty: number, price: number): Fill => ({ side: 'BUY', qty, price });
const sell = (qty: number, price: number): Fill => ({ side: 'SELL', qty, price });

/** Applies fills in turn; returns the position and what each fill realized. */
function trade(fills: Fill[]): { position: Position; realized: string[] } {
  let position = flatPosition('AAPL');
  const realized: string[] = [];
  for (const f of fills) {
    const outcome = applyFill(position, f);
    position = outcome.position;
    realized.push(String(outcome.realized));
  }
  return { position, realized };
}

// Doubles give 2 x (8.65 - 10.1) = -2.8999999999999986 and 10.1 - 10 = 0.09999999999999964; money
// here is decimal, so none of that reaches a position, a day's P&L or a limit.
describe('money is exact decimal', () => {
  it('realizes exactly -4.40 buying 3 @ 10.10 and selling 1 @ 8.60 and 2 @ 8.65', () => {
    const { position, realized } = trade([buy(3, 10.1), sell(1, 8.6), sell(2, 8.65)]);
    expect(realized).toEqual(['0', '-1.5', '-2.9']);
    expect(String(position.realizedPnl)).toBe('-4.4');
    expect(position.qty).toBe(0);
    let day = recordRealized(null, realized[1] ?? 0, T0);
    day = recordRealized(day, realized[2] ?? 0, T0 + 1);
    expect(String(day.realizedPnl)).toBe('-4.4');
  });

  it('marks 3 @ 10.10 at a bid of 8.65 to exactly -4.35 unrealized', () => {
    const { position } = trade([buy(3, 10.1)]);
    expect(String(unrealizedPnl(position, quote(8.65, 8.7)))).toBe('-4.35');
    // Realized 1 x (10.1 - 10) = 0.1 today, plus the -4.35 open: -4.25.
    const today = recordRealized(null, trade([buy(1, 10), sell(1, 10.1)]).position.realizedPnl, T0);
    const pnl = dayPnl(
      today.realizedPnl,
      new Map([['AAPL', position]]),
      new Map([['AAPL', quote(8.65, 8.7)]]),
    );
    expect(String(pnl)).toBe('-4.25');
  });

  it("sums a day's realized P&L without drift", () => {
    let day = recordRealized(null, trade([buy(1, 10), sell(1, 10.1)]).position.realizedPnl, T0);
    day = recordRealized(day, trade([buy(1, 10), sell(1, 10.2)]).position.realizedPnl, T0 + 1);
    expect(String(day.realizedPnl)).toBe('0.3');
  });

  it('keeps the average price precise enough that closing realizes the exact cents', () => {
    // Cost 10 + 2 x 10.01 = 30.02 for 3 shares; sold for 3 x 10.02 = 30.06: +0.04 exactly.
    const { position, realized } = trade([buy(1, 10), buy(2, 10.01), sell(3, 10.02)]);
    expect(realized).toEqual(['0', '0', '0.04']);
    expect(String(position.realizedPnl)).toBe('0.04');
  });

  it('rounds the P&L of a fractional fill to the cent, half away from zero', () => {
    // 0.5 x (10.01 - 10) = 0.005 -> 0.01; the short side mirrors it.
    expect(trade([buy(0.5, 10), sell(0.5, 10.01)]).realized[1]).toBe('0.01');
    expect(trade([sell(0.5, 10.01), buy(0.5, 10.02)]).realized[1]).toBe('-0.01');
  });

  it('measures notional exactly: 3 x $0.10 is within a $0.30 limit', () => {
    const ctx: RiskContext = {
      limits: { ...DEFAULT_RISK_LIMITS, maxOrderNotional: 0.3 },
      positions: new Map(),
      openOrders: [],
      quotes: new Map([['AAPL', quote(0.1, 0.1)]]),
      day: null,
      recentOrderTimes: [],
      now: T0,
      killSwitch: false,
      tradingEnabled: true,
    };
    expect(checkRiskLimits(order({ type: 'LIMIT', qty: 3, limitPrice: 0.1 }), ctx)).toEqual({ ok: true });
    expect(checkRiskLimits(order({ type: 'LIMIT', qty: 3, limitPrice: 0.1001 }), ctx)).toMatchObject({
      code: 'MAX_ORDER_NOTIONAL',
    });
  });

  it('never shows a negative zero', () => {
    expect(formatUsd(-0.001)).toBe('$0.00');
    expect(formatUsd(-4.5)).toBe('-$4.50');
  });
});
