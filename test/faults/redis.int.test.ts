import type { Quote } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import { eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { api, subscribedUser } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, typedProducer } from '../support/kafka';
import type { PrivateRedis } from '../support/private-infra';
import { privateRedis } from '../support/private-infra';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startService } from '../support/service-process';
import { quote } from '../support/records';
import type { OrdersApiServer } from '../support/orders-api';
import { ordersApiForGateway } from '../support/orders-api';

const order = (n: number) => ({
  client_order_id: `redis-fault-${n}`,
  symbol: 'AAPL',
  side: 'BUY',
  qty: 1,
  type: 'MARKET',
});

// The documented degradation while Redis is away: the order limit fails closed (money), market
// data keeps reaching sockets (it needs no Redis), and both come back without a restart.
describe('Redis goes away and returns', () => {
  let bed: KafkaTestbed;
  let redis: PrivateRedis;
  let gateway: ServiceProcess;
  let orders: OrdersApiServer;
  let producer: TypedProducer;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-redis');
    redis = await privateRedis();
    producer = await typedProducer(bed);
    // The order service's internal API, in-process: placing asks it about client order ids.
    orders = await ordersApiForGateway();
    gateway = await startService(
      'gateway',
      isolatedEnv(bed.prefix, { ORDERS_URL: orders.url, REDIS_URL: redis.url, MARKET_UPDATE_INTERVAL: '50' }),
    );
  }, 90000);

  afterAll(async () => {
    socket?.close();
    await gateway?.stop();
    await orders?.close();
    await producer?.disconnect();
    await redis?.close();
    await bed?.close();
  });

  const commandsOnTopic = async () =>
    (await bed.admin.fetchTopicOffsets(bed.names.of('orderCommands'))).reduce(
      (n, p) => n + Number(p.high),
      0,
    );

  it('refuses orders with 503 RATE_LIMIT_UNAVAILABLE, keeps streaming quotes, and recovers', async () => {
    const base = `http://127.0.0.1:${gateway.port}`;
    const { user, socket: subscribed } = await subscribedUser(base, 'redis-fault', ['AAPL']);
    socket = subscribed;
    const got: Quote[] = [];
    socket.on('quote', (q) => got.push(q));

    expect((await api(base, 'POST', '/api/orders', order(1), user.accessToken)).status).toBe(202);
    await eventually(async () => (await commandsOnTopic()) === 1, 10000, 'the first command');

    await redis.kill();
    for (let n = 2; n <= 4; n++) {
      const res = await api<{ code: string }>(base, 'POST', '/api/orders', order(n), user.accessToken, [503]);
      expect(res.body.code).toBe('RATE_LIMIT_UNAVAILABLE');
    }
    // Quotes published during the outage still reach the subscribed socket.
    for (let i = 0; i < 5; i++) {
      await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 100 + i / 100) }]);
      await new Promise((r) => setTimeout(r, 100));
    }
    await eventually(() => got.some((q) => q.bid_price === 100.04), 10000, 'a quote during the outage');
    expect(socket.connected).toBe(true);
    expect(await fetch(`${base}/healthz`).then((r) => r.status)).toBe(200);

    await redis.start();
    // The client reconnects on its own back-off; the refused orders can be sent again.
    await eventually(
      async () =>
        (await api(base, 'POST', '/api/orders', order(2), user.accessToken, [202, 503])).status === 202,
      20000,
      'orders to work again',
    );
    expect((await api(base, 'POST', '/api/orders', order(3), user.accessToken)).status).toBe(202);
    // A retried client order id does not send a second command.
    expect(
      (await api<{ duplicate: boolean }>(base, 'POST', '/api/orders', order(3), user.accessToken, [200])).body
        .duplicate,
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await commandsOnTopic()).toBe(3);

    const before = got.length;
    await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 100 + 99 / 100) }]);
    await eventually(
      () => got.length > before && got.at(-1)!.bid_price === 100.99,
      10000,
      'quotes after the return',
    );
    expect(gateway.child.exitCode).toBeNull();
  }, 90000);
});
