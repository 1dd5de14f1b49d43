import { randomUUID } from 'node:crypto';
import type express from 'express';
import request from 'supertest';
import type { OrderCommand } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Redis } from '@tickstream/platform';
import { createDatabase, createRedis, prom } from '@tickstream/platform';
import { TEST_ENV, eventually, uniquePrefix } from '../../../../test/support/env';
import type { OrdersApiServer } from '../../../../test/support/orders-api';
import { startOrdersApi } from '../../../../test/support/orders-api';
import { bearer, signUp, uniqueEmail } from '../http/harness';
import { ordersTestApp } from './api-app';
import { insertOrderRow } from './order-rows';

// POST /api/orders when Kafka does not acknowledge: real Redis and PostgreSQL, and a command
// publisher the test steers (acknowledge, refuse, or never answer).

type Publish = (cmd: OrderCommand) => Promise<void>;

let db: Knex;
let redis: Redis;
let ordersServer: OrdersApiServer;
let app: express.Express;
let metrics: prom.Registry;
// The whole placement (the order service's lookup, the reservation, the send) has this long. Not
// shorter: on a loaded machine the lookup alone can take a few hundred ms, and a placement that
// ran out of time before its send answers 503 without sending, which is right but not what these
// tests are about.
const SEND_TIMEOUT_MS = 2000;
/** Every command handed to the publisher, whatever became of it. */
const attempts: OrderCommand[] = [];
/** Accounts whose client order id the order service was asked about, once per question. */
const askedAbout: string[] = [];
let publish: Publish;
const acknowledge: Publish = async () => {};
const refuse: Publish = async () => {
  throw new Error('broker down');
};

beforeAll(async () => {
  db = createDatabase(TEST_ENV.DATABASE_URL, { max: 4 });
  ordersServer = await startOrdersApi(db);
  redis = createRedis(TEST_ENV.REDIS_URL, { keyPrefix: uniquePrefix('gw-place') });
  metrics = new prom.Registry();
  app = ordersTestApp(
    {
      db,
      redis,
      orders: {
        ...ordersServer.api,
        orderByClientId: (accountId, clientOrderId) => {
          askedAbout.push(accountId);
          return ordersServer.api.orderByClientId(accountId, clientOrderId);
        },
      },
      service: 'gateway-place-test',
    },
    {
      publishCommand: (cmd) => {
        attempts.push(cmd);
        return publish(cmd);
      },
      orderSendTimeoutMs: SEND_TIMEOUT_MS,
      metrics,
    },
  );
});

beforeEach(() => {
  publish = acknowledge;
});

afterAll(async () => {
  await ordersServer.close();
  redis.disconnect();
  await db.destroy();
});

const order = {
  client_order_id: 'retry-1',
  symbol: 'AAPL',
  side: 'BUY',
  qty: 5,
  type: 'LIMIT',
  limit_price: 150,
  time_in_force: 'GTC',
};
const post = (token: { Authorization: string }, body: object = order) =>
  request(app).post('/api/orders').set(token).send(body);
const mine = (accountId: string) => attempts.filter((c) => c.account_id === accountId);

async function counted(outcome: string): Promise<number> {
  const m = await metrics.getSingleMetric('gateway_order_commands_total')?.get();
  return m?.values.find((v) => v.labels.outcome === outcome && v.labels.action === 'PLACE')?.value ?? 0;
}

describe('placing an order when Kafka does not acknowledge', () => {
  it('answers 503 with Retry-After, and the retry sends the same command and answers 202', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    publish = refuse;
    const refused = await post(bearer(a));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('ORDERS_UNAVAILABLE');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Still refused: the reservation is not an order.
    const again = await post(bearer(a));
    expect(again.status).toBe(503);

    publish = acknowledge;
    const placed = await post(bearer(a));
    expect(placed.status).toBe(202);
    const sent = mine(a.id);
    expect(sent).toHaveLength(3);
    // One command, sent three times: the order service makes one order of it.
    expect(new Set(sent.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(placed.body).toEqual({
      order_id: sent[0]?.order_id,
      client_order_id: 'retry-1',
      command_id: sent[0]?.command_id,
    });

    const known = await post(bearer(a));
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ order_id: placed.body.order_id, duplicate: true });
    expect(mine(a.id)).toHaveLength(3);
  });

  it('answers 503 by the deadline when the send hangs; a late acknowledgement makes the retry a duplicate', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    let ackLate!: () => void;
    publish = () => new Promise<void>((resolve) => (ackLate = resolve));
    const timedOut = await post(bearer(a));
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.code).toBe('ORDERS_UNAVAILABLE');

    const lateBefore = await counted('late_acknowledged');
    ackLate();
    await eventually(async () => (await counted('late_acknowledged')) > lateBefore, 5000, 'the late ack');
    publish = refuse;
    // Kafka holds the command now: the retry answers with it without sending it again.
    const retried = await eventually(async () => {
      const r = await post(bearer(a));
      return r.status === 200 ? r : undefined;
    }, 5000);
    expect(retried.body).toMatchObject({ order_id: mine(a.id)[0]?.order_id, duplicate: true });
    expect(mine(a.id)).toHaveLength(1);
  });

  it('refuses a client_order_id reused for other terms, without sending anything', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    publish = refuse;
    expect((await post(bearer(a))).status).toBe(503);
    const reused = await post(bearer(a), { ...order, qty: 50 });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('CLIENT_ORDER_ID_REUSED');
    expect(mine(a.id)).toHaveLength(1);

    // The same once the order exists.
    publish = acknowledge;
    const placed = await post(bearer(a));
    expect(placed.status).toBe(202);
    await insertOrderRow(db, {
      order_id: placed.body.order_id,
      account_id: a.id,
      client_order_id: order.client_order_id,
      command_id: placed.body.command_id,
    });
    expect((await post(bearer(a), { ...order, side: 'SELL' })).body.code).toBe('CLIENT_ORDER_ID_REUSED');
    expect((await post(bearer(a))).body).toMatchObject({ order_id: placed.body.order_id, duplicate: true });
    expect(mine(a.id)).toHaveLength(2);
  });

  it('sends an id an older gateway reserved under its reserved ids', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    const [orderId, commandId] = [randomUUID(), randomUUID()];
    await redis.set(`orders:coid:${a.id}:${order.client_order_id}`, `${orderId} ${commandId}`, 'EX', 60);
    const placed = await post(bearer(a));
    expect(placed.status).toBe(202);
    expect(placed.body).toMatchObject({ order_id: orderId, command_id: commandId });
    expect(mine(a.id)).toEqual([
      expect.objectContaining({ order_id: orderId, command_id: commandId, qty: 5 }),
    ]);
  });

  it('answers a cancel 503 when its command is not acknowledged', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    const orderId = await insertOrderRow(db, { account_id: a.id, qty: 1, limit_price: 1 });
    publish = () => new Promise<void>(() => {});
    const res = await request(app).delete(`/api/orders/${orderId}`).set(bearer(a));
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('ORDERS_UNAVAILABLE');
    expect(mine(a.id)).toEqual([expect.objectContaining({ action: 'CANCEL', order_id: orderId })]);
  });
});

describe('placing an order', () => {
  it('asks the order service about a client_order_id the client chose, not about one made up for it', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    const made = await post(bearer(a), { ...order, client_order_id: undefined });
    expect(made.status).toBe(202);
    expect(made.body.client_order_id).toBe(mine(a.id)[0]?.client_order_id);
    expect(askedAbout.filter((id) => id === a.id)).toHaveLength(0);

    expect((await post(bearer(a))).status).toBe(202);
    expect(askedAbout.filter((id) => id === a.id)).toHaveLength(1);
  });

  it('names the broker the account trades with at the time of the request', async () => {
    const a = await signUp(app, uniqueEmail('place'));
    await db('users').where({ id: a.id }).update({ broker: 'ALPACA' });
    expect((await post(bearer(a))).status).toBe(202);
    expect(mine(a.id)).toEqual([expect.objectContaining({ broker: 'ALPACA' })]);
  });
});
