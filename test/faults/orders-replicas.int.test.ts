import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Consumer } from 'kafkajs';
import type { OrderCommand, OrderEvent } from '@tickstream/contracts';
import { createDatabase, ensureDatabase, migrate } from '@tickstream/platform';
import { ORDERS_MIGRATIONS } from '../../services/orders/src/db';
import { quote as quoteOf } from '../../services/orders/test/domain/fixtures';
import { ORDERS_TEST_DB, markedSince } from '../../services/orders/test/harness';
import { eventually } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, spreadOver, survivorTakesOver } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';
import { expectEachFilledOnce, placeCommand } from '../support/order-commands';

const SYMBOL = 'RPLC';
const ACCOUNTS = 24;
const ORDERS_PER_ACCOUNT = 8;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two order replicas share the `orders` group over orders.commands.v1 (keyed by account). One is
// SIGKILLed while commands keep coming: the survivor takes over the dead one's partitions after
// the session timeout, and redelivered commands are recognised by their ids, so every accepted
// order is executed exactly once and positions equal the fills.
describe('orders: two replicas, one SIGKILLed mid-stream', () => {
  let bed: KafkaTestbed;
  let db: Knex;
  let reader: Consumer;
  const events: OrderEvent[] = [];
  /** When the events reader got each order's FILLED first (event_time is the market's time). */
  const filledSeenAt = new Map<string, number>();
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-orders-replicas');
    await ensureDatabase(ORDERS_TEST_DB);
    db = createDatabase(ORDERS_TEST_DB, { max: 2 });
    await migrate(db, ORDERS_MIGRATIONS);
    reader = bed.kafka.consumer({ groupId: `${bed.prefix}events-reader`, maxWaitTimeInMs: 50 });
    await reader.connect();
    await reader.subscribe({ topic: bed.names.of('orderEvents'), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const e = await bed.codec.decode('orderEvents', message.value);
        events.push(e);
        if (e.type === 'FILLED' && !filledSeenAt.has(e.order_id)) filledSeenAt.set(e.order_id, Date.now());
      },
    });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await reader?.disconnect();
    await db?.destroy();
    await bed?.close();
  });

  it('executes every accepted order once; positions equal fills; the survivor takes over', async () => {
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      accounts.push(randomUUID());
    }
    const env = { DATABASE_URL: ORDERS_TEST_DB, TOPIC_PREFIX: bed.prefix, CONTROLS_INTERVAL_MS: '200' };
    replicas.push(await startService('orders', env));
    replicas.push(await startService('orders', env));
    const group = bed.names.group('orders');
    const topic = bed.names.of('orderCommands');
    const owned = await spreadOver(bed.admin, group, topic, 2);

    const quoteTime = Date.now();
    await bed.producer.send({
      topic: bed.names.of('quotes'),
      messages: [
        {
          key: SYMBOL,
          value: await bed.codec.encode(
            'quotes',
            quoteOf(20, 20.02, { symbol: SYMBOL, time: quoteTime, bidSize: 1e6, askSize: 1e6 }),
          ),
        },
      ],
    });
    await markedSince(db, SYMBOL, quoteTime, 15_000);

    const commands: OrderCommand[] = [];
    const sentAt = new Map<string, number>();
    /** One round: a market order of every account, as one batch of records. */
    const round = async (r: number) => {
      const batch = accounts.map((account, i) =>
        placeCommand(account, {
          client_order_id: `replicas-${r}-${i}`,
          symbol: SYMBOL,
          qty: 1 + ((r * 7 + i) % 5),
        }),
      );
      commands.push(...batch);
      const sent = Date.now();
      await bed.producer.send({
        topic,
        messages: await Promise.all(
          batch.map(async (c) => ({ key: c.account_id, value: await bed.codec.encode('orderCommands', c) })),
        ),
      });
      for (const c of batch) sentAt.set(c.order_id, sent);
    };
    const filled = (id: string) => filledSeenAt.has(id);

    for (let r = 0; r < 3; r++) await round(r);
    await eventually(() => commands.every((c) => filled(c.order_id)), 30_000, 'the first rounds to fill');
    // Mid-stream: a round is on its way when the replica dies, more follow.
    await round(3);
    const killedAt = Date.now();
    await replicas[0]!.kill();
    for (let r = 4; r < ORDERS_PER_ACCOUNT; r++) {
      await round(r);
      await pause(300);
    }
    const takeover = await survivorTakesOver(bed.admin, group, topic, 6, killedAt);
    await eventually(() => commands.every((c) => filled(c.order_id)), 60_000, 'every order to fill');
    // Events of the last fills may still be on their way twice (outbox sweep): let them arrive.
    await pause(1500);

    // Events: once per (order, seq); an event published again is the same event.
    expectEachFilledOnce(
      events,
      commands.map((c) => ({ orderId: c.order_id, name: c.client_order_id })),
    );
    // The database: one order and one fill per command, positions equal to the fills.
    const ids = commands.map((c) => c.order_id);
    const orders = (await db('orders').whereIn('account_id', accounts)) as Array<{
      order_id: string;
      status: string;
      filled_qty: string;
    }>;
    expect(orders.map((o) => o.order_id).sort()).toEqual([...ids].sort());
    expect(orders.every((o) => o.status === 'FILLED')).toBe(true);
    const fills = (await db('fills').whereIn('account_id', accounts)) as Array<{
      order_id: string;
      qty: string;
    }>;
    expect(fills.map((f) => f.order_id).sort()).toEqual([...ids].sort());
    for (const c of commands) expect(Number(fills.find((f) => f.order_id === c.order_id)!.qty)).toBe(c.qty);
    const positions = (await db('positions')
      .whereIn('account_id', accounts)
      .andWhere({ symbol: SYMBOL })) as Array<{
      account_id: string;
      qty: string;
    }>;
    for (const account of accounts) {
      const net = commands.filter((c) => c.account_id === account).reduce((n, c) => n + (c.qty ?? 0), 0);
      const row = positions.find((p) => p.account_id === account);
      expect({ account, qty: Number(row?.qty ?? 0) }).toEqual({ account, qty: net });
    }
    // How long commands sent after the kill waited: the dead replica's accounts wait for the takeover.
    const waits = commands
      .filter((c) => sentAt.get(c.order_id)! >= killedAt)
      .map((c) => filledSeenAt.get(c.order_id)! - sentAt.get(c.order_id)!);
    console.log(
      `orders: before the kill ${JSON.stringify(owned)}; survivor owns all 6 after ${takeover} ms ` +
        `(session timeout 10000 ms); commands sent after the kill filled within ${Math.min(...waits)}-${Math.max(...waits)} ms ` +
        `(median ${waits.sort((a, b) => a - b)[Math.floor(waits.length / 2)]} ms); ${events.length} events ` +
        `read for ${new Set(events.map((e) => e.event_id)).size} distinct`,
    );
  }, 180000);
});
