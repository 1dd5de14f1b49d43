import type { OrdersHarness } from './harness';
import { ordersHarness } from './harness';

let h: OrdersHarness;

beforeAll(async () => {
  h = await ordersHarness('orders-limits');
  await h.start();
});

afterAll(async () => {
  await h.close();
});

const quoted = (symbol: string, bid: number, ask: number) => h.quoted(symbol, bid, ask);

async function rejection(
  accountId: string,
  fields: Parameters<OrdersHarness['place']>[1],
): Promise<{ code: string | null; reason: string | null }> {
  const cmd = await h.place(accountId, fields);
  const e = await h.waitFor(cmd.order_id, 'REJECTED');
  return { code: e.reason_code, reason: e.reason };
}

// The domain tests cover every limit's arithmetic; these show each kind reaches a rejection
// through Kafka with limits read from Postgres (per-user overrides merged over the defaults).
describe('risk limits through the service', () => {
  it('refuses by quantity, notional, price band, symbol lists, trading switch and missing market data', async () => {
    await quoted('LIMA', 100, 100.1);
    const a = await h.user({ limits: { deniedSymbols: ['LIMD'], maxOrderQty: 50 } });
    expect((await rejection(a, { symbol: 'LIMA', qty: 51 })).code).toBe('MAX_ORDER_QTY');
    expect(
      await rejection(a, { symbol: 'LIMA', qty: 40, order_type: 'LIMIT', limit_price: 150 }),
    ).toMatchObject({ code: 'PRICE_BAND' });
    expect((await rejection(a, { symbol: 'LIMD' })).code).toBe('SYMBOL_DENIED');
    expect((await rejection(a, { symbol: 'LIMNONE' })).code).toBe('NO_MARKET_DATA');
    const b = await h.user({ limits: { maxOrderNotional: 1000 } });
    expect((await rejection(b, { symbol: 'LIMA', qty: 20 })).reason).toMatch(
      /order notional \$2,002\.00 exceeds your limit of \$1,000\.00/,
    );
    const off = await h.user({ limits: { tradingEnabled: false } });
    expect((await rejection(off, { symbol: 'LIMA' })).code).toBe('TRADING_DISABLED');
    const invalid = await h.user();
    expect((await rejection(invalid, { symbol: 'LIMA', order_type: 'LIMIT' })).code).toBe(
      'MISSING_LIMIT_PRICE',
    );
  });

  it('counts accepted orders per minute against the account rate', async () => {
    await quoted('LIMR', 10, 10.01);
    const a = await h.user({ limits: { maxOrdersPerMinute: 2 } });
    for (let i = 0; i < 2; i++)
      await h.waitFor((await h.place(a, { symbol: 'LIMR', qty: 1 })).order_id, 'FILLED');
    expect((await rejection(a, { symbol: 'LIMR', qty: 1 })).code).toBe('ORDER_RATE_LIMIT');
  });

  it('stops the day when realized plus unrealized loss breaches the daily limit', async () => {
    await quoted('LIML', 100, 100.05);
    const a = await h.user({ limits: { dailyLossLimit: 1000 } });
    await h.waitFor((await h.place(a, { symbol: 'LIML', qty: 100 })).order_id, 'FILLED');
    await quoted('LIML', 85, 85.05);
    const breach = await rejection(a, { symbol: 'LIML', qty: 1 });
    expect(breach.code).toBe('DAILY_LOSS_LIMIT');
    expect((await h.db('order_accounts').where({ account_id: a }).first()).halted_for_day).toBe(true);
    // Even after the price recovers the day stays stopped, closing orders included.
    await quoted('LIML', 100, 100.05);
    expect((await rejection(a, { symbol: 'LIML', side: 'SELL', qty: 100 })).reason).toMatch(/halted/);
  });

  it('kill switch cancels working orders and refuses new ones until it is off', async () => {
    await quoted('LIMK', 50, 50.1);
    const a = await h.user();
    const resting = await h.place(a, {
      symbol: 'LIMK',
      order_type: 'LIMIT',
      limit_price: 48,
      time_in_force: 'GTC',
    });
    await h.waitFor(resting.order_id, 'NEW');
    await h.db('trading_controls').where({ id: h.controlsId }).update({ kill_switch: true });
    try {
      const canceled = await h.waitFor(resting.order_id, 'CANCELED');
      expect(canceled.reason_code).toBe('KILL_SWITCH');
      expect((await rejection(a, { symbol: 'LIMK' })).code).toBe('KILL_SWITCH');
    } finally {
      await h.db('trading_controls').where({ id: h.controlsId }).update({ kill_switch: false });
    }
    await h.waitFor((await h.place(a, { symbol: 'LIMK' })).order_id, 'FILLED');
  });
});
