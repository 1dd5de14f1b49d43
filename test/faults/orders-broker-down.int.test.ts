import type { Admin, Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { createDatabase, createKafka, provisionAcls, provisionTopics } from '@tickstream/platform';
import { TEST_ENV, eventually, kafkaLogin, testKafka, uniquePrefix } from '../support/env';
import { signUp } from '../support/gateway-client';
import { silentLog } from '../support/kafka';
import type { PrivateKafka } from '../support/private-infra';
import { privateKafka } from '../support/private-infra';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startGatewayAndOrders } from '../support/service-process';

// The gateway's default ORDER_SEND_TIMEOUT_MS: the longest POST /api/orders waits for Kafka.
const SEND_TIMEOUT_MS = 3000;
// Correctness bounds, not benchmarks: generous slack for a loaded 2-core machine, yet far below
// what an unbounded send takes (KafkaJS retried for ~48 s before the fix).
const ANSWER_BOUND_MS = SEND_TIMEOUT_MS + 3000;
// /readyz waits 500 ms per check now; before the fix it waited 2 s for a check that hangs, so
// this bound separates the two while leaving a loaded machine 1.4 s of slack.
const READYZ_BOUND_MS = 1900;
// The probe's client gave up after 12 s; an answer later than this is no answer.
const CLIENT_TIMEOUT_MS = 15000;

interface Answer {
  status: number; // 0: the client gave up waiting
  ms: number;
  body: { order_id?: string; code?: string; duplicate?: boolean };
  retryAfter: string | null;
}

interface Intent {
  user: { accessToken: string; user: { id: string } };
  coid: string;
  body: Record<string, unknown>;
  answers: Answer[];
}

const placed = (a: Answer | undefined) => a !== undefined && (a.status === 202 || a.status === 200);

// The outage a client sees: the only broker is SIGKILLed while orders are being posted. Every
// answer comes within the send timeout (202 acknowledged, or 503 with Retry-After), and after the
// broker is back, retrying each unanswered or refused order with its client_order_id makes
// exactly one order of it, under the order id the gateway gave, and nothing more.
describe('the Kafka broker is killed while orders are posted', () => {
  let broker: PrivateKafka;
  let kafka: Kafka;
  let admin: Admin;
  let db: Knex;
  let gateway: ServiceProcess;
  let orders: ServiceProcess;

  beforeAll(async () => {
    broker = await privateKafka();
    const prefix = uniquePrefix('fault-orders-broker');
    kafka = createKafka(
      { ...testKafka(), brokers: [broker.brokers], clientId: 'test-orders-broker-down' },
      silentLog,
    );
    admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, { prefix, replicationFactor: 1 });
    if (kafkaLogin().KAFKA_SASL_USERNAME) await provisionAcls(admin, { prefix });
    db = createDatabase(TEST_ENV.DATABASE_URL, { max: 2 });
    const env = isolatedEnv(prefix, { KAFKA_BROKERS: broker.brokers });
    ({ gateway, orders } = await startGatewayAndOrders(env));
  }, 240000);

  afterAll(async () => {
    await gateway?.stop();
    await orders?.stop();
    await admin?.disconnect().catch(() => undefined);
    await db?.destroy();
    await broker?.close();
  });

  it('answers every order in bounded time, and a retry with the same id places it exactly once', async () => {
    const base = `http://127.0.0.1:${gateway.port}`;
    const post = async (intent: Intent): Promise<Answer> => {
      const t0 = Date.now();
      try {
        const res = await fetch(`${base}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${intent.user.accessToken}` },
          body: JSON.stringify(intent.body),
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        const answer = {
          status: res.status,
          ms: Date.now() - t0,
          body: (await res.json()) as Answer['body'],
          retryAfter: res.headers.get('retry-after'),
        };
        intent.answers.push(answer);
        return answer;
      } catch {
        const answer = { status: 0, ms: Date.now() - t0, body: {}, retryAfter: null };
        intent.answers.push(answer);
        return answer;
      }
    };
    const users = await Promise.all([1, 2, 3, 4].map((i) => signUp(base, `kafka-down-${i}`)));
    const intents: Intent[] = [];
    const intent = (user: Intent['user'], n: number): Intent => {
      const i: Intent = {
        user,
        coid: `kd-${user.user.id.slice(0, 8)}-${n}`,
        body: {
          client_order_id: `kd-${user.user.id.slice(0, 8)}-${n}`,
          symbol: 'KDWN',
          side: n % 2 === 0 ? 'BUY' : 'SELL',
          qty: n + 1,
          type: 'LIMIT',
          limit_price: 10 + n,
          time_in_force: 'GTC',
        },
        answers: [],
      };
      intents.push(i);
      return i;
    };

    // Before the outage every order is acknowledged.
    for (const u of users) expect(await post(intent(u, 0))).toMatchObject({ status: 202 });

    // Three rounds of orders, the broker killed while the first is in flight.
    const during: Promise<Answer>[] = [];
    for (let round = 1; round <= 3; round++) {
      for (const u of users) during.push(post(intent(u, round)));
      if (round === 1) await broker.kill();
      await new Promise((r) => setTimeout(r, 300));
    }
    // Readiness says so, and says it fast, while the broker is away.
    const readyz = async (port: number) => {
      const t0 = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(10000) });
      return { status: res.status, ms: Date.now() - t0, body: (await res.json()) as unknown };
    };
    const probes: { status: number; ms: number; body: unknown }[] = [];
    // A dependency check is cached for 2 s (cachedCheck), so a probe right after the kill may
    // still answer from the last good one: wait for not-ready, bounding every answer.
    for (const [name, port] of [
      ['gateway', gateway.port],
      ['orders', orders.port],
    ] as const)
      await eventually(
        async () => {
          const r = await readyz(port);
          probes.push(r);
          return r.status === 503;
        },
        30000,
        `the ${name} service to report itself not ready`,
      );

    const answers = await Promise.all(during);
    const late = answers.filter((a) => a.status === 0 || a.ms >= ANSWER_BOUND_MS);
    expect(late).toEqual([]);
    for (const a of answers) {
      expect([202, 503]).toContain(a.status);
      if (a.status === 503) {
        expect(a.body.code).toBe('ORDERS_UNAVAILABLE');
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
      }
    }
    expect(answers.some((a) => a.status === 503)).toBe(true);
    expect(probes.filter((p) => p.ms >= READYZ_BOUND_MS)).toEqual([]);
    expect(probes.at(-1)).toMatchObject({ status: 503 });

    // A client retrying during the outage is told the same: not known to be placed.
    const early = intents.find((i) => i.answers.at(-1)?.status === 503);
    if (early) {
      const again = await post(early);
      expect(again.status).toBe(503);
      expect(again.ms).toBeLessThan(ANSWER_BOUND_MS);
    }

    await broker.start();
    // Every order not acknowledged is retried with its id until it is; acknowledged ones once.
    for (const i of intents) {
      if (placed(i.answers.at(-1))) {
        const again = await post(i);
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({
          order_id: i.answers.find(placed)?.body.order_id,
          duplicate: true,
        });
        continue;
      }
      await eventually(
        async () => {
          const a = await post(i);
          if (placed(a)) return true;
          expect([0, 429, 503]).toContain(a.status);
          await new Promise((r) => setTimeout(r, Math.min(Number(a.retryAfter ?? 1), 2) * 1000));
          return false;
        },
        120000,
        `order ${i.coid} to be acknowledged after the broker returned`,
      );
    }

    // Each intended order exists exactly once, under the id its client was given, and no other.
    const accounts = users.map((u) => u.user.id);
    const rows = await eventually(
      async () => {
        const r = (await db('orders')
          .whereIn('account_id', accounts)
          .select('order_id', 'account_id', 'client_order_id')) as Array<{
          order_id: string;
          account_id: string;
          client_order_id: string;
        }>;
        return r.length >= intents.length ? r : undefined;
      },
      60000,
      'the order service to record every order',
    );
    expect(rows).toHaveLength(intents.length);
    for (const i of intents) {
      const mine = rows.filter((r) => r.account_id === i.user.user.id && r.client_order_id === i.coid);
      expect(mine).toHaveLength(1);
      const given = new Set(i.answers.filter(placed).map((a) => a.body.order_id));
      expect([...given]).toEqual([mine[0]?.order_id]);
    }
    expect(gateway.child.exitCode).toBeNull();
    expect(orders.child.exitCode).toBeNull();
  }, 400000);
});
