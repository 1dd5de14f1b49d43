import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import type { Knex } from 'knex';
import {
  Lifecycle,
  READINESS_CHECK_TIMEOUT_MS,
  cachedCheck,
  createDatabase,
  createKafka,
  createMetricsRegistry,
  databaseCheck,
  startHealthServer,
} from '@tickstream/platform';
import { TEST_ENV, testKafka } from '../../../../test/support/env';
import { silentLog } from '../../../../test/support/kafka';
import type { Relay } from '../../../../test/support/relay';
import { tcpRelay } from '../../../../test/support/relay';

// The requirement is an answer within 1 s. The design keeps the check budget at half of that,
// the rest for the process itself. On this shared machine a loaded event loop can add a second
// to any answer, so the run asserts the mechanism with a bound no loaded machine makes it miss
// and the old code could never meet: the hung dependencies' own timeouts are 30 s (KafkaJS) and
// 60 s (knex), and the old budget waited 2 s before it answered at all.
const HUNG_BOUND_MS = 2000;

async function readyz(server: http.Server): Promise<{ status: number; body: unknown; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
  const ms = Date.now() - t0;
  return { status: res.status, body: (await res.json()) as unknown, ms };
}

describe('/readyz when a dependency hangs', () => {
  const relays: Relay[] = [];
  const dbs: Knex[] = [];
  const admins: Admin[] = [];
  const servers: http.Server[] = [];

  afterAll(async () => {
    // Relays first: cutting the hung connections ends the probes still waiting on them.
    for (const r of relays) await r.close();
    for (const s of servers) await new Promise((r) => s.close(r));
    for (const a of admins) await a.disconnect().catch(() => undefined);
    for (const db of dbs) await db.destroy();
  });

  /** A health server whose PostgreSQL and Kafka are reached through relays in `mode`. */
  async function serverBehind(mode: Relay['mode']): Promise<http.Server> {
    const pg = await tcpRelay(new URL(TEST_ENV.DATABASE_URL), mode);
    const broker = await tcpRelay(new URL(`tcp://${TEST_ENV.KAFKA_BROKERS.split(',')[0]}`), mode);
    relays.push(pg, broker);
    const db = createDatabase(pg.url, { max: 1 });
    dbs.push(db);
    const admin = createKafka(
      // No retries: after the test the relay is gone, and nothing should retry into it.
      {
        ...testKafka(),
        brokers: [new URL(broker.url).host],
        clientId: 'test-readyz',
        retry: { retries: 0 },
      },
      silentLog,
    ).admin();
    admins.push(admin);
    const life = new Lifecycle(silentLog);
    life.running();
    const server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      lifecycle: life,
      metrics: createMetricsRegistry('test-readyz'),
      checks: {
        postgres: databaseCheck(db),
        kafka: cachedCheck(async () => {
          await admin.connect();
          await admin.describeCluster();
          return true;
        }),
      },
    });
    servers.push(server);
    return server;
  }

  it('answers 503 within the bound, naming the dependencies that did not answer', async () => {
    const server = await serverBehind('swallow');
    // The second poll finds the first one's probes still hanging.
    for (const poll of [1, 2]) {
      const r = await readyz(server);
      expect({ poll, status: r.status, body: r.body }).toEqual({
        poll,
        status: 503,
        body: expect.objectContaining({ dependencies: { postgres: false, kafka: false } }),
      });
      expect(r.ms).toBeLessThan(HUNG_BOUND_MS);
    }
    expect(READINESS_CHECK_TIMEOUT_MS).toBeLessThanOrEqual(500);
  });

  it('answers 200 through the same relays when the dependencies answer', async () => {
    const server = await serverBehind('up');
    let r = await readyz(server);
    // A cold first connection may take longer than the budget; its result serves the next poll.
    for (let i = 0; i < 50 && r.status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = await readyz(server);
    }
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dependencies: { postgres: true, kafka: true } });
  });
});
