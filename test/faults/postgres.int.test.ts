import type { Knex } from 'knex';
import type { OrderEvent } from '@tickstream/contracts';
import { createDatabase, ensureDatabase } from '@tickstream/platform';
import { eventually } from '../support/env';
import { api, signUp } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll } from '../support/kafka';
import type { PrivatePostgres } from '../support/private-infra';
import { privatePostgres } from '../support/private-infra';
import { quote } from '../support/records';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startGatewayAndOrders } from '../support/service-process';
import { expectEachFilledOnce, placeCommand } from '../support/order-commands';

const SYMBOL = 'PGFT';

// PostgreSQL (a private cluster, so it can be stopped) goes away under the gateway and the order
// service: new orders are refused with a reason, commands already on orders.commands.v1 wait in
// Kafka, and after the database returns each command is executed exactly once.
describe('PostgreSQL goes away and returns', () => {
  let bed: KafkaTestbed;
  let pg: PrivatePostgres;
  let db: Knex;
  let gateway: ServiceProcess;
  let orders: ServiceProcess;

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-pg');
    pg = await privatePostgres();
    const url = pg.url('tickstream');
    await ensureDatabase(url);
    db = createDatabase(url, { max: 2 });
    const q = { ...quote(SYMBOL, 50), bid_size: 10000, ask_size: 10000 };
    await bed.producer.send({
      topic: bed.names.of('quotes'),
      messages: [{ key: SYMBOL, value: await bed.codec.encode('quotes', q) }],
    });
    const env = isolatedEnv(bed.prefix, { DATABASE_URL: url, CONTROLS_INTERVAL_MS: '200' });
    ({ gateway, orders } = await startGatewayAndOrders(env));
  }, 120000);

  afterAll(async () => {
    await gateway?.stop();
    await orders?.stop();
    await db?.destroy();
    pg?.close();
    await bed?.close();
  });

  it('refuses new orders with a reason while it is down, holds published commands, and executes each once after', async () => {
    const base = `http://127.0.0.1:${gateway.port}`;
    const user = await signUp(base, 'pg-fault');
    const place = (n: number) => ({
      client_order_id: `pg-${n}`,
      symbol: SYMBOL,
      side: 'BUY',
      qty: n,
      type: 'MARKET',
    });
    const first = await api<{ order_id: string }>(base, 'POST', '/api/orders', place(1), user.accessToken);
    expect(first.status).toBe(202);
    await eventually(
      async () =>
        (await db('orders').where({ order_id: first.body.order_id, status: 'FILLED' }).first()) !== undefined,
      20000,
      'the first fill',
    );

    pg.stop();
    // Sign-in checks the session in the database: with it gone the gateway must say so, not 500.
    const refused = await api<{ code: string; message: string }>(
      base,
      'POST',
      '/api/orders',
      place(2),
      user.accessToken,
      [503],
    );
    expect(refused.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    // Commands the gateway published just before the outage are already on the topic.
    const held = [3, 4, 5].map((n) =>
      placeCommand(user.user.id, { client_order_id: `pg-${n}`, symbol: SYMBOL, qty: n }),
    );
    for (const cmd of held)
      await bed.producer.send({
        topic: bed.names.of('orderCommands'),
        messages: [{ key: cmd.account_id, value: await bed.codec.encode('orderCommands', cmd) }],
      });
    await new Promise((r) => setTimeout(r, 3000));
    expect(orders.child.exitCode).toBeNull();
    expect(gateway.child.exitCode).toBeNull();
    expect(await fetch(`http://127.0.0.1:${orders.port}/readyz`).then((r) => r.status)).toBe(503);

    pg.start();
    // The refused order is sent again by the client, with the same client order id.
    const retried = await eventually(
      async () => {
        const r = await api<{ order_id: string }>(
          base,
          'POST',
          '/api/orders',
          place(2),
          user.accessToken,
          [202, 503],
        );
        return r.status === 202 ? r.body : undefined;
      },
      30000,
      'orders to be accepted again',
    );
    const orderIds = [first.body.order_id, retried.order_id, ...held.map((c) => c.order_id)];
    await eventually(
      async () =>
        (await db('orders').whereIn('order_id', orderIds).andWhere({ status: 'FILLED' })).length === 5,
      60000,
      'every order filled',
    );
    await eventually(
      async () => (await db('outbox').whereNull('published_at')).length === 0,
      30000,
      'the outbox to drain',
    );

    expect(await db('orders').where({ account_id: user.user.id })).toHaveLength(5);
    expect(await db('fills').where({ account_id: user.user.id })).toHaveLength(5);
    expect(await db('positions').where({ account_id: user.user.id, symbol: SYMBOL }).first()).toMatchObject({
      qty: String(1 + 2 + 3 + 4 + 5),
    });

    // Events: each order's ACCEPTED, NEW, FILLED; a republished event (the outbox may publish
    // again if marking it published failed) carries the same id and the same content.
    const count = async () =>
      (await bed.admin.fetchTopicOffsets(bed.names.of('orderEvents'))).reduce(
        (n, p) => n + Number(p.high),
        0,
      );
    const total = await count();
    const events: OrderEvent[] = await Promise.all(
      (await readAll(bed.kafka, bed.names.of('orderEvents'), total)).map((m) =>
        bed.codec.decode('orderEvents', m.value),
      ),
    );
    expectEachFilledOnce(
      events,
      orderIds.map((id) => ({ orderId: id, name: id })),
    );
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${orders.port}/readyz`)).status === 200,
      15000,
      'the order service to be ready again',
    );
  }, 180000);
});
