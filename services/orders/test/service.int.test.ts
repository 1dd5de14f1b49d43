import { suiteOrdersHarness } from './harness';

// Quotes are keyed by symbol and every test uses its own symbols, so tests sharing one service
// never price each other's orders.
const h = suiteOrdersHarness('orders-svc');

describe('order service through Kafka and Postgres', () => {
  it('fills a market buy at the ask and records the order, the fill and the position', async () => {
    const account = await h().user();
    await h().quoted('SVCA', 99.95, 100.05);
    const cmd = await h().place(account, { symbol: 'SVCA', qty: 10 });
    await h().waitFor(cmd.order_id, 'FILLED');
    const events = h().eventsOf(cmd.order_id);
    expect(events.map((e) => [e.event_id, e.type])).toEqual([
      [`${cmd.order_id}:1`, 'ACCEPTED'],
      [`${cmd.order_id}:2`, 'NEW'],
      [`${cmd.order_id}:3`, 'FILLED'],
    ]);
    expect(events[2]).toMatchObject({
      last_fill_price: 100.05,
      last_fill_qty: 10,
      position_qty: 10,
      position_avg_price: 100.05,
    });
    const order = await h().db('orders').where({ order_id: cmd.order_id }).first();
    // Numeric columns come back from pg as exact decimal strings.
    expect(order).toMatchObject({
      status: 'FILLED',
      filled_qty: '10',
      avg_fill_price: '100.0500000000',
      last_seq: 3,
    });
    // Set by ACCEPTED, kept through NEW and FILLED (the row is written once, their columns merged).
    expect(order.accepted_at).toEqual(new Date(events[0]!.event_time));
    expect(await h().db('fills').where({ order_id: cmd.order_id })).toHaveLength(1);
    expect(await h().db('positions').where({ account_id: account, symbol: 'SVCA' }).first()).toMatchObject({
      qty: '10',
      avg_price: '100.0500000000',
    });
  });

  it("times a market order's events in their order when the command took a while to arrive", async () => {
    // The fill happens when the service takes the order: timed at the command's issue, FILLED came
    // out earlier than the ACCEPTED and NEW before it by the command's transit.
    const account = await h().user();
    await h().quoted('SVCT', 49.95, 50.05);
    const cmd = await h().place(account, { symbol: 'SVCT', qty: 1, issued_at: Date.now() - 2000 });
    await h().waitFor(cmd.order_id, 'FILLED');
    const times = h()
      .eventsOf(cmd.order_id)
      .map((e) => e.event_time);
    expect(times).toHaveLength(3);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const [fill] = await h().db('fills').where({ order_id: cmd.order_id });
    expect(fill.filled_at.getTime()).toBe(times[2]);
  });

  it('makes one order of a redelivered command and of a second command with the same client order id', async () => {
    const account = await h().user();
    await h().quoted('SVCB', 49.9, 50.1);
    const cmd = await h().place(account, { symbol: 'SVCB', client_order_id: 'double-click' });
    await h().send(cmd);
    const second = await h().place(account, { symbol: 'SVCB', client_order_id: 'double-click' });
    const marker = await h().place(account, { symbol: 'SVCB' });
    await h().waitFor(marker.order_id, 'FILLED');
    expect(await h().db('orders').where({ account_id: account })).toHaveLength(2);
    expect(h().eventsOf(second.order_id)).toEqual([]);
    expect(
      h()
        .eventsOf(cmd.order_id)
        .map((e) => e.type),
    ).toEqual(['ACCEPTED', 'NEW', 'FILLED']);
    expect(await h().db('positions').where({ account_id: account, symbol: 'SVCB' }).first()).toMatchObject({
      qty: '20',
    });
  });

  it('rests a limit order until the market crosses, then realizes P&L on the way out (scripted path)', async () => {
    const account = await h().user();
    await h().quoted('SVCC', 20.0, 20.1);
    const buy = await h().resting(account, { symbol: 'SVCC', qty: 100, limit_price: 19.5 });
    await h().quote('SVCC', 19.7, 19.8);
    await h().quote('SVCC', 19.3, 19.4);
    const filled = await h().waitFor(buy.order_id, 'FILLED');
    expect(filled).toMatchObject({ last_fill_price: 19.4, position_qty: 100 });
    await h().quoted('SVCC', 21.0, 21.1);
    const sell = await h().place(account, { symbol: 'SVCC', side: 'SELL', qty: 60 });
    const sold = await h().waitFor(sell.order_id, 'FILLED');
    expect(sold.last_fill_price).toBe(21);
    expect(sold.realized_pnl).toBe(96);
    expect(await h().db('positions').where({ account_id: account, symbol: 'SVCC' }).first()).toMatchObject({
      qty: '40',
      avg_price: '19.4000000000',
    });
    const day = await h().db('order_accounts').where({ account_id: account }).first();
    expect(day.realized_today).toBe('96.00');
  });

  it('expires a DAY order after its session closed', async () => {
    const account = await h().user();
    await h().quoted('SVCD', 10, 10.1);
    const yesterday = Date.now() - 36 * 3600_000;
    const cmd = await h().place(account, {
      symbol: 'SVCD',
      order_type: 'LIMIT',
      limit_price: 9.5,
      issued_at: yesterday - 3 * 24 * 3600_000,
    });
    const expired = await h().waitFor(cmd.order_id, 'EXPIRED');
    expect(expired.reason_code).toBe('DAY_ORDER_EXPIRED');
  });

  it('cancels a working order on a CANCEL command, and only once', async () => {
    const account = await h().user();
    await h().quoted('SVCE', 30, 30.1);
    const cmd = await h().resting(account, { symbol: 'SVCE', limit_price: 29 });
    const cancel = { ...cmd, command_id: 'c-1', action: 'CANCEL' as const };
    await h().send(cancel);
    await h().send(cancel);
    const canceled = await h().waitFor(cmd.order_id, 'CANCELED');
    expect(canceled.reason_code).toBe('CANCELED_BY_USER');
    await h().quote('SVCE', 28, 28.5);
    const marker = await h().place(account, { symbol: 'SVCE' });
    await h().waitFor(marker.order_id, 'FILLED');
    expect(
      h()
        .eventsOf(cmd.order_id)
        .map((e) => e.type),
    ).toEqual(['ACCEPTED', 'NEW', 'CANCELED']);
  });

  it('executes an order on the broker its command names, for an account it has never seen', async () => {
    // The gateway stamps the user's broker on each command when it is placed: that is the order's
    // broker, in its row, its events and its execution. Accounts and their broker setting are the
    // gateway's (users); the order service reads neither.
    const account = await h().user();
    await h().quoted('SVCF', 5, 5.01);
    const cmd = await h().place(account, { symbol: 'SVCF', broker: 'SIM' });
    const filled = await h().waitFor(cmd.order_id, 'FILLED');
    expect(filled.broker).toBe('SIM');
    expect(await h().db('orders').where({ order_id: cmd.order_id }).first('broker')).toEqual({
      broker: 'SIM',
    });
  });

  it('writes a market order in one transaction of at most 6 statements, its events in order', async () => {
    // Each statement is a round trip to Postgres under the account's lock, which every later
    // command of the account waits for: ACCEPTED, NEW and FILLED took 24 before their rows were
    // written together at the end of the transaction, 14 before the insert was its own duplicate
    // check, the risk checks read the positions with the settings, the fill read and wrote its
    // position and day together, and the order's row went with its events; 9 before the fill
    // took its position from the risk checks' read and wrote it, and the day, with its events,
    // and 7 before the risk checks read the open and recent orders with the settings.
    const account = await h().user();
    await h().quoted('SVCG', 20, 20.02);
    const byTx = new Map<string, string[]>();
    const onQuery = (q: { sql: string; __knexTxId?: string }) => {
      if (q.__knexTxId) byTx.set(q.__knexTxId, [...(byTx.get(q.__knexTxId) ?? []), q.sql]);
    };
    h().db.on('query', onQuery);
    const cmd = await h().place(account, { symbol: 'SVCG', qty: 3 });
    await h().waitFor(cmd.order_id, 'FILLED');
    h().db.off('query', onQuery);
    const placing = [...byTx.values()].filter((sqls) =>
      sqls.some((sql) => sql.startsWith('insert into "orders"')),
    );
    expect(placing).toHaveLength(1);
    expect(placing[0]!.length).toBeLessThanOrEqual(6);
    // The position and the day's P&L the fill moved are stored all the same.
    expect(await h().db('positions').where({ account_id: account, symbol: 'SVCG' }).first()).toMatchObject({
      qty: '3',
      avg_price: '20.0200000000',
    });
    const day = await h().db('order_accounts').where({ account_id: account }).first();
    expect(day.trading_day).not.toBeNull();
    expect(day.realized_today).toBe('0.00');
    // As published: the outbox ids follow the events.
    expect(
      h()
        .events.filter((e) => e.order_id === cmd.order_id)
        .map((e) => e.type),
    ).toEqual(['ACCEPTED', 'NEW', 'FILLED']);
  });
});
