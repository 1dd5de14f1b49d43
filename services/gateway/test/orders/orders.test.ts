import { randomBytes, randomUUID } from 'node:crypto';
import type express from 'express';
import request from 'supertest';
import type { OrderCommand } from '@tickstream/contracts';
import { GLOBAL_CONTROLS_ID } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Redis } from '@tickstream/platform';
import { createDatabase, createRedis } from '@tickstream/platform';
import { TEST_ENV, uniquePrefix } from '../../../../test/support/env';
import type { OrdersApiServer } from '../../../../test/support/orders-api';
import { startOrdersApi } from '../../../../test/support/orders-api';
import type { ApiDeps } from '../../src/http';
import { ordersApi } from '../../src/orders';
import type { Account } from '../http/harness';
import { PASSWORD, bearer, recordingLogger, signUp, uniqueEmail } from '../http/harness';
import { ordersTestApp } from './api-app';
import { insertOrderRow } from './order-rows';

let db: Knex;
let redis: Redis;
let ordersServer: OrdersApiServer;
let app: express.Express;
const commands: OrderCommand[] = [];

/** The API as the gateway mounts it, with `options` over the test's defaults. */
function apiApp(options: Partial<ApiDeps> = {}): express.Express {
  return ordersTestApp(
    { db, redis, orders: ordersServer.api, service: 'gateway-orders-test' },
    { publishCommand: async (cmd) => void commands.push(cmd), ...options },
  );
}

beforeAll(async () => {
  db = createDatabase(TEST_ENV.DATABASE_URL, { max: 4 });
  ordersServer = await startOrdersApi(db);
  redis = createRedis(TEST_ENV.REDIS_URL, { keyPrefix: uniquePrefix('gw-orders') });
  app = apiApp();
});

afterAll(async () => {
  await ordersServer.close();
  redis.disconnect();
  await db.destroy();
});

const order = { symbol: 'aapl', side: 'BUY', qty: 5, type: 'LIMIT', limit_price: 150, time_in_force: 'GTC' };
const ip = () => `10.${randomBytes(3).join('.')}`;
const signUpAt = (email = uniqueEmail('orders')) => signUp(app, email);

/** What the order service would have written for an accepted, partly filled order. */
async function storeOrder(account: Account, status = 'PARTIALLY_FILLED'): Promise<string> {
  const orderId = await insertOrderRow(db, {
    account_id: account.id,
    symbol: 'MSFT',
    qty: 10,
    order_type: 'MARKET',
    time_in_force: 'DAY',
    limit_price: null,
    status,
    filled_qty: 4,
    avg_fill_price: 300,
    last_seq: 3,
  });
  await db('fills').insert({
    fill_id: `${orderId}:3`,
    order_id: orderId,
    account_id: account.id,
    symbol: 'MSFT',
    side: 'BUY',
    qty: 4,
    price: 300,
    filled_at: new Date(),
  });
  return orderId;
}

describe('order REST routes', () => {
  it('require authentication', async () => {
    for (const [method, path] of [
      ['post', '/api/orders'],
      ['get', '/api/orders'],
      ['get', '/api/positions'],
      ['get', '/api/account'],
    ] as const) {
      expect((await request(app)[method](path).send(order)).status).toBe(401);
    }
  });

  it('publish a PLACE command and answer 202 with the ids', async () => {
    const a = await signUpAt();
    const res = await request(app).post('/api/orders').set(bearer(a)).send(order);
    expect(res.status).toBe(202);
    const cmd = commands.find((c) => c.order_id === res.body.order_id);
    expect(cmd).toMatchObject({
      action: 'PLACE',
      account_id: a.id,
      symbol: 'AAPL',
      side: 'BUY',
      qty: 5,
      order_type: 'LIMIT',
      limit_price: 150,
      stop_price: null,
      time_in_force: 'GTC',
      broker: 'SIM',
      command_id: res.body.command_id,
      client_order_id: res.body.client_order_id,
    });
  });

  it('answer a repeated client_order_id with the first order and send no second command', async () => {
    const a = await signUpAt();
    const first = await request(app)
      .post('/api/orders')
      .set(bearer(a))
      .send({ ...order, client_order_id: 'dbl-1' });
    const second = await request(app)
      .post('/api/orders')
      .set(bearer(a))
      .send({ ...order, client_order_id: 'dbl-1' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ order_id: first.body.order_id, duplicate: true });
    expect(commands.filter((c) => c.account_id === a.id)).toHaveLength(1);
  });

  it('refuse inconsistent or unknown fields with the field named', async () => {
    const a = await signUpAt();
    const noLimit = await request(app)
      .post('/api/orders')
      .set(bearer(a))
      .send({ ...order, limit_price: undefined });
    expect(noLimit.status).toBe(400);
    expect(noLimit.body.details).toEqual([{ path: 'limit_price', message: 'required for LIMIT' }]);
    const stopOnMarket = await request(app)
      .post('/api/orders')
      .set(bearer(a))
      .send({ symbol: 'AAPL', side: 'BUY', qty: 1, type: 'MARKET', stop_price: 3 });
    expect(stopOnMarket.body.details.map((d: { path: string }) => d.path)).toEqual(['stop_price']);
    for (const bad of [{ side: 'HOLD' }, { qty: -1 }, { account_id: randomUUID() }]) {
      const res = await request(app)
        .post('/api/orders')
        .set(bearer(a))
        .send({ ...order, ...bad });
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    expect(commands.filter((c) => c.account_id === a.id)).toHaveLength(0);
  });

  it('show and cancel only your own orders', async () => {
    const a = await signUpAt();
    const b = await signUpAt();
    const orderId = await storeOrder(a);
    const mine = await request(app).get(`/api/orders/${orderId}`).set(bearer(a));
    expect(mine.body).toMatchObject({
      orderId,
      status: 'PARTIALLY_FILLED',
      filledQty: 4,
      fills: [{ qty: 4, price: 300 }],
    });
    expect((await request(app).get(`/api/orders/${orderId}`).set(bearer(b))).status).toBe(404);
    expect((await request(app).delete(`/api/orders/${orderId}`).set(bearer(b))).status).toBe(404);
    expect(
      await request(app)
        .get('/api/orders')
        .set(bearer(b))
        .then((r) => r.body),
    ).toEqual([]);
    expect(
      (await request(app).get('/api/orders?status=open').set(bearer(a))).body.map(
        (o: { orderId: string }) => o.orderId,
      ),
    ).toEqual([orderId]);
    expect((await request(app).get('/api/orders?status=closed').set(bearer(a))).body).toEqual([]);
    const cancel = await request(app).delete(`/api/orders/${orderId}`).set(bearer(a));
    expect(cancel.status).toBe(202);
    expect(commands.find((c) => c.command_id === cancel.body.command_id)).toMatchObject({
      action: 'CANCEL',
      order_id: orderId,
      account_id: a.id,
    });
    const done = await storeOrder(a, 'FILLED');
    expect((await request(app).delete(`/api/orders/${done}`).set(bearer(a))).body.code).toBe(
      'ORDER_NOT_OPEN',
    );
  });

  it('value positions at the last mark and summarise the account', async () => {
    const a = await signUpAt();
    const symbol = `Z${randomBytes(3).toString('hex').toUpperCase()}`;
    await db('positions').insert({ account_id: a.id, symbol, qty: 10, avg_price: 100, realized_pnl: 25 });
    await db('quote_marks').insert({ symbol, bid_price: 110, ask_price: 110.1, quote_time: new Date() });
    const positions = await request(app).get('/api/positions').set(bearer(a));
    expect(positions.body).toEqual([
      {
        symbol,
        qty: 10,
        avgPrice: 100,
        realizedPnl: 25,
        markPrice: 110,
        unrealizedPnl: 100,
        marketValue: 1100,
      },
    ]);
    const summary = await request(app).get('/api/account').set(bearer(a));
    expect(summary.body).toMatchObject({
      unrealized: 100,
      grossExposure: 1100,
      tradingEnabled: true,
      haltedForDay: false,
      openOrders: 0,
    });
    await db('quote_marks').where({ symbol }).delete();
  });

  it('value positions and the account in exact cents: 3 @ 10.10 marked at 8.65 is -4.35', async () => {
    const a = await signUpAt();
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const [x, y] = [`X${tag}`, `Y${tag}`];
    await db('positions').insert([
      { account_id: a.id, symbol: x, qty: 3, avg_price: 10.1, realized_pnl: 0 },
      { account_id: a.id, symbol: y, qty: 1, avg_price: 0.1, realized_pnl: 0 },
    ]);
    await db('quote_marks').insert([
      { symbol: x, bid_price: 8.65, ask_price: 8.66, quote_time: new Date() },
      { symbol: y, bid_price: 0.3, ask_price: 0.31, quote_time: new Date() },
    ]);
    try {
      const positions = await request(app).get('/api/positions').set(bearer(a));
      expect(positions.body).toEqual([
        {
          symbol: x,
          qty: 3,
          avgPrice: 10.1,
          realizedPnl: 0,
          markPrice: 8.65,
          unrealizedPnl: -4.35,
          marketValue: 25.95,
        },
        {
          symbol: y,
          qty: 1,
          avgPrice: 0.1,
          realizedPnl: 0,
          markPrice: 0.3,
          unrealizedPnl: 0.2,
          marketValue: 0.3,
        },
      ]);
      const summary = await request(app).get('/api/account').set(bearer(a));
      expect(summary.body).toMatchObject({ unrealized: -4.15, grossExposure: 26.25 });
    } finally {
      await db('quote_marks').whereIn('symbol', [x, y]).delete();
    }
  });

  it('let only admins flip the kill switch', async () => {
    const trader = await signUpAt();
    expect(
      (await request(app).post('/api/admin/kill-switch').set(bearer(trader)).send({ enabled: true })).status,
    ).toBe(403);
    const email = uniqueEmail('admin');
    const admin = await signUp(app, email);
    await db('users').where({ id: admin.id }).update({ role: 'admin' });
    const login = await request(app).post('/api/auth/login').send({ email, password: PASSWORD });
    const token = { Authorization: `Bearer ${login.body.accessToken}` };
    const before = (await db('trading_controls').where({ id: GLOBAL_CONTROLS_ID }).first())
      .kill_switch as boolean;
    try {
      const on = await request(app).post('/api/admin/kill-switch').set(token).send({ enabled: true });
      expect(on.body.enabled).toBe(true);
      expect((await request(app).get('/api/account').set(bearer(trader))).body.killSwitch).toBe(true);
    } finally {
      await request(app).post('/api/admin/kill-switch').set(token).send({ enabled: before });
    }
  });

  it('answer 429 after 10 orders in a minute', async () => {
    const a = await signUpAt();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await request(app).post('/api/orders').set(bearer(a)).set('X-Forwarded-For', ip()).send(order))
          .status,
      );
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('take the per-minute limit from RATE_ORDERS_PER_MIN (ordersPerMinute)', async () => {
    const strict = apiApp({ ordersPerMinute: 3 });
    const a = await signUp(strict, uniqueEmail('orders-strict'));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await request(strict).post('/api/orders').set(bearer(a)).send(order)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('when the order service cannot answer', () => {
  const unavailable = {
    code: 'ORDERS_UNAVAILABLE',
    message: 'the order service is unavailable; retry shortly',
  };

  it('answer 503 ORDERS_UNAVAILABLE, send nothing, and place the order once on a retry when it is back', async () => {
    // Nothing listens on port 9 (discard): the connection is refused.
    const down = apiApp({ orders: ordersApi({ url: 'http://127.0.0.1:9', token: 'unused' }) });
    const a = await signUpAt();
    for (const path of ['/api/orders', `/api/orders/${randomUUID()}`, '/api/positions', '/api/account']) {
      const res = await request(down).get(path).set(bearer(a));
      expect([path, res.status, res.body]).toEqual([path, 503, unavailable]);
      expect(res.headers['retry-after']).toBe('5');
    }
    const sent = commands.length;
    const placing = { ...order, client_order_id: `down-${randomUUID()}` };
    const refused = await request(down).post('/api/orders').set(bearer(a)).send(placing);
    expect([refused.status, refused.body]).toEqual([503, unavailable]);
    expect(commands.length).toBe(sent);

    const retried = await request(app).post('/api/orders').set(bearer(a)).send(placing);
    expect(retried.status).toBe(202);
    expect(commands.filter((c) => c.client_order_id === placing.client_order_id)).toHaveLength(1);
  });

  it('answer 503 when the service token is refused, and never log the token', async () => {
    const { log, lines } = recordingLogger();
    const token = `wrong-${randomBytes(24).toString('hex')}`;
    const misconfigured = apiApp({ log, orders: ordersApi({ url: ordersServer.url, token }) });
    const a = await signUpAt();
    const res = await request(misconfigured).get('/api/account').set(bearer(a));
    expect([res.status, res.body]).toEqual([503, unavailable]);
    expect(lines.join('\n')).toContain('401 the service token is not valid');
    expect(lines.join('\n')).not.toContain(token);
  });
});
