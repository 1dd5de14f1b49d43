import type { OrdersHarness } from './harness';
import { suiteOrdersHarness } from './harness';

const h = suiteOrdersHarness('orders-limits');

const quoted = (symbol: string, bid: number, ask: number) => h().quoted(symbol, bid, ask);

async function rejection(
  accountId: string,
  fields: Parameters<OrdersHarness['place']>[1],
): Promise<{ code: string | null; reason: string | null }> {
  const cmd = await h().place(accountId, fields);
  const e = await h().waitFor(cmd.order_id, 'REJECTED');
  return { code: e.reason_code, reason: e.reason };
}

// The domain tests cover every limit's arithmetic; these show each kind reaches a rejection
// through Kafka with limits read from Postgres (per-user overrides merged over the defaults).
describe('risk limits through the service', () => {
  it('refuses by quantity, notional, price band, symbol lists, trading switch and missing market data', async () => {
    await quoted('LIMA', 100, 100.1);
    const a = await h().user({ limits: { deniedSymbols: ['LIMD'], maxOrderQty: 50 } });
    expect((await rejection(a, { symbol: 'LIMA', qty: 51 })).code).toBe('MAX_ORDER_QTY');
    expect(
      await rejection(a, { symbol: 'LIMA', qty: 40, order_type: 'LIMIT', limit_price: 150 }),
    ).toMatchObject({ code: 'PRICE_BAND' });
    expect((await rejection(a, { symbol: 'LIMD' })).code).toBe('SYMBOL_DENIED');
    expect((await rejection(a, { symbol: 'LIMNONE' })).code).toBe('NO_MARKET_DATA');
    const b = await h().user({ limits: { maxOrderNotional: 1000 } });
    expect((await rejection(b, { symbol: 'LIMA', qty: 20 })).reason).toMatch(
      /order notional \$2,002\.00 exceeds your limit of \$1,000\.00/,
    );
    const off = await h().user({ limits: { tradingEnabled: false } });
    expect((await rejection(off, { symbol: 'LIMA' })).code).toBe('TRADING_DISABLED');
    const invalid = await h().user();
    expect((await rejection(invalid, { symbol: 'LIMA', order_type: 'LIMIT' })).code).toBe(
      'MISSING_LIMIT_PRICE',
    );
  });

  it("counts the account's position and its open orders, read from Postgres, against the position limit", async () => {
    await quoted('LIMP', 10, 10.01);
    const a = await h().user({ limits: { maxPositionNotional: 1000 } });
    await h().waitFor((await h().place(a, { symbol: 'LIMP', qty: 50 })).order_id, 'FILLED');
    await h().resting(a, { symbol: 'LIMP', qty: 30, limit_price: 9.8 });
    // 50 held + 30 working + 25 = 105 shares at 10.01 is over $1,000; 15 more (95) is not.
    expect(await rejection(a, { symbol: 'LIMP', qty: 25 })).toMatchObject({
      code: 'MAX_POSITION_NOTIONAL',
      reason: expect.stringContaining('105 shares counting open orders'),
    });
    await h().waitFor((await h().place(a, { symbol: 'LIMP', qty: 15 })).order_id, 'FILLED');
  });

  it('counts accepted orders per minute against the account rate', async () => {
    await quoted('LIMR', 10, 10.01);
    const a = await h().user({ limits: { maxOrdersPerMinute: 2 } });
    for (let i = 0; i < 2; i++)
      await h().waitFor((await h().place(a, { symbol: 'LIMR', qty: 1 })).order_id, 'FILLED');
    expect((await rejection(a, { symbol: 'LIMR', qty: 1 })).code).toBe('ORDER_RATE_LIMIT');
  });

  it('stops the day when realized plus unrealized loss breaches the daily limit', async () => {
    await quoted('LIML', 100, 100.05);
    const a = await h().user({ limits: { dailyLossLimit: 1000 } });
    await h().waitFor((await h().place(a, { symbol: 'LIML', qty: 100 })).order_id, 'FILLED');
    await quoted('LIML', 85, 85.05);
    const breach = await rejection(a, { symbol: 'LIML', qty: 1 });
    expect(breach.code).toBe('DAILY_LOSS_LIMIT');
    expect((await h().db('order_accounts').where({ account_id: a }).first()).halted_for_day).toBe(true);
    // Even after the price recovers the day stays stopped, closing orders included.
    await quoted('LIML', 100, 100.05);
    expect((await rejection(a, { symbol: 'LIML', side: 'SELL', qty: 100 })).reason).toMatch(/halted/);
  });

  it('names the limit that was breached after an admin changes it, and trades again once the halt is lifted', async () => {
    await quoted('LIMH', 100, 100.05);
    const a = await h().user({ limits: { dailyLossLimit: 1000 } });
    await h().waitFor((await h().place(a, { symbol: 'LIMH', qty: 100 })).order_id, 'FILLED');
    await quoted('LIMH', 85, 85.05);
    expect((await rejection(a, { symbol: 'LIMH', qty: 1 })).code).toBe('DAILY_LOSS_LIMIT');
    const halted = await h().db('order_accounts').where({ account_id: a }).first();
    expect(halted).toMatchObject({ halted_for_day: true, halt_limit: '1000.00', halt_pnl: '-1505.00' });
    expect(halted.halted_at).toBeInstanceOf(Date);

    // The admin returns the account to the defaults ($5,000): the halt still names $1,000.
    await h()
      .db('risk_limits')
      .where({ user_id: a })
      .update({ limits: JSON.stringify({}) });
    await quoted('LIMH', 100, 100.05);
    const again = await rejection(a, { symbol: 'LIMH', side: 'SELL', qty: 100 });
    expect(again.code).toBe('DAILY_LOSS_LIMIT');
    expect(again.reason).toContain(
      "today's P&L reached -$1,505.00 against your daily loss limit of $1,000.00",
    );
    expect(again.reason).not.toContain('$5,000');

    // What the gateway's lift writes: the order service reads it under the account lock and trades.
    await h().db('order_accounts').where({ account_id: a }).update({ halted_for_day: false });
    await h().waitFor((await h().place(a, { symbol: 'LIMH', side: 'SELL', qty: 100 })).order_id, 'FILLED');
  });

  it('blocks a symbol that an older deny list stored in lower case', async () => {
    await quoted('LIMLC', 20, 20.05);
    const a = await h().user({ limits: { deniedSymbols: ['limlc'] } });
    expect((await rejection(a, { symbol: 'LIMLC' })).code).toBe('SYMBOL_DENIED');
    const b = await h().user({ limits: { allowedSymbols: ['limlc'] } });
    await h().waitFor((await h().place(b, { symbol: 'LIMLC', qty: 1 })).order_id, 'FILLED');
  });

  it('books P&L in exact cents: buy 3 @ 10.10, sell 1 @ 8.60 and 2 @ 8.65 realizes -4.40, not -4.399999999999999', async () => {
    await quoted('LIMC', 10.09, 10.1);
    const a = await h().user();
    await h().waitFor((await h().place(a, { symbol: 'LIMC', qty: 3 })).order_id, 'FILLED');
    await quoted('LIMC', 8.6, 8.61);
    await h().waitFor((await h().place(a, { symbol: 'LIMC', side: 'SELL', qty: 1 })).order_id, 'FILLED');
    await quoted('LIMC', 8.65, 8.66);
    const sold = await h().waitFor(
      (await h().place(a, { symbol: 'LIMC', side: 'SELL', qty: 2 })).order_id,
      'FILLED',
    );
    expect(sold.realized_pnl).toBe(-4.4);
    expect((await h().db('order_accounts').where({ account_id: a }).first()).realized_today).toBe('-4.40');
    const position = await h().db('positions').where({ account_id: a, symbol: 'LIMC' }).first();
    expect(Number(position.qty)).toBe(0);
    expect(position.realized_pnl).toBe('-4.40');
    expect(
      (await h().db('fills').where({ account_id: a }).orderBy('filled_at')).map((f) => f.realized_pnl),
    ).toEqual(['0.00', '-1.50', '-2.90']);
  });

  it('kill switch cancels working orders and refuses new ones until it is off', async () => {
    await quoted('LIMK', 50, 50.1);
    const a = await h().user();
    const resting = await h().resting(a, { symbol: 'LIMK', limit_price: 48 });
    await h().db('trading_controls').where({ id: h().controlsId }).update({ kill_switch: true });
    try {
      const canceled = await h().waitFor(resting.order_id, 'CANCELED');
      expect(canceled.reason_code).toBe('KILL_SWITCH');
      expect((await rejection(a, { symbol: 'LIMK' })).code).toBe('KILL_SWITCH');
    } finally {
      await h().db('trading_controls').where({ id: h().controlsId }).update({ kill_switch: false });
    }
    await h().waitFor((await h().place(a, { symbol: 'LIMK' })).order_id, 'FILLED');
  });
});
