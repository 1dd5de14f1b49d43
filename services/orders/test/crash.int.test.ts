import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrderEvent } from '@tickstream/contracts';
import { createDatabase, ensureDatabase, migrate } from '@tickstream/platform';
import { ORDERS_MIGRATIONS } from '../src/db';
import { eventually } from '../../../test/support/env';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { dropDeadMembers, kafkaTestbed, readAll } from '../../../test/support/kafka';
import type { ServiceProcess } from '../../../test/support/service-process';
import { startService } from '../../../test/support/service-process';
import { quote as quoteOf } from './domain/fixtures';
import { ORDERS_TEST_DB, markedSince } from './harness';
import { placeCommand } from '../../../test/support/order-commands';

// The built service (dist/main.js) as a child process; ORDERS_FAULT_POINT=after-commit makes it
// SIGKILL itself right after the first accepted order's transaction commits, before publishing.
// Its database is the order tests' own (see ORDERS_TEST_DB).
const DATABASE_URL = ORDERS_TEST_DB;
let bed: KafkaTestbed;
let db: Knex;
let proc: ServiceProcess | undefined;

beforeAll(async () => {
  bed = await kafkaTestbed('orders-crash');
  await ensureDatabase(DATABASE_URL);
  db = createDatabase(DATABASE_URL, { max: 2 });
  await migrate(db, ORDERS_MIGRATIONS);
});

afterAll(async () => {
  await proc?.kill();
  await db?.destroy();
  await bed?.close();
});

it('killed between committing an order and publishing it, then restarted: one order, one fill, right position, events published once', async () => {
  const account = randomUUID();
  const now = Date.now();
  const quote = quoteOf(20, 20.02, { symbol: 'CRSH', time: now, bidSize: 500, askSize: 500 });
  await bed.producer.send({
    topic: bed.names.of('quotes'),
    messages: [{ key: 'CRSH', value: await bed.codec.encode('quotes', quote) }],
  });

  const env = {
    DATABASE_URL,
    TOPIC_PREFIX: bed.prefix,
    ORDERS_FAULT_POINT: 'after-commit',
    CONTROLS_INTERVAL_MS: '200',
  };
  proc = await startService('orders', env);
  await markedSince(db, 'CRSH', now, 15_000);
  const cmd = placeCommand(account, { client_order_id: 'crash-1', symbol: 'CRSH', qty: 25 });
  await bed.producer.send({
    topic: bed.names.of('orderCommands'),
    messages: [{ key: account, value: await bed.codec.encode('orderCommands', cmd) }],
  });
  await eventually(
    () => proc?.child.exitCode !== null || proc.child.signalCode !== null,
    20_000,
    'the fault point to kill the service',
  );
  expect(proc.child.signalCode).toBe('SIGKILL');
  await dropDeadMembers(bed, bed.names.group('orders'));

  // Committed, not yet published.
  expect(await db('orders').where({ order_id: cmd.order_id }).first()).toMatchObject({
    status: 'FILLED',
    filled_qty: '25',
  });
  const pending = await db('outbox').where({ record_key: account }).whereNull('published_at');
  expect(pending.map((r: { payload: OrderEvent }) => r.payload.type)).toEqual(['ACCEPTED', 'NEW', 'FILLED']);

  proc = await startService('orders', { ...env, ORDERS_FAULT_POINT: 'none' });
  // The redelivered command is recognised; a second command with the same client id is too.
  await bed.producer.send({
    topic: bed.names.of('orderCommands'),
    messages: [
      {
        key: account,
        value: await bed.codec.encode('orderCommands', {
          ...cmd,
          command_id: randomUUID(),
          order_id: randomUUID(),
        }),
      },
    ],
  });
  await eventually(
    async () => (await db('outbox').where({ record_key: account }).whereNull('published_at')).length === 0,
    30_000,
    'the outbox to drain',
  );
  const published = await readAll(bed.kafka, bed.names.of('orderEvents'), 3);
  await new Promise((r) => setTimeout(r, 1500));
  const events = await Promise.all(
    (await readAll(bed.kafka, bed.names.of('orderEvents'), published.length)).map((m) =>
      bed.codec.decode('orderEvents', m.value),
    ),
  );
  expect(events.map((e) => e.event_id).sort()).toEqual([1, 2, 3].map((s) => `${cmd.order_id}:${s}`));
  expect(await db('orders').where({ account_id: account })).toHaveLength(1);
  expect(await db('fills').where({ account_id: account })).toHaveLength(1);
  expect(await db('positions').where({ account_id: account, symbol: 'CRSH' }).first()).toMatchObject({
    qty: '25',
    avg_price: '20.0200000000',
  });
  await proc.stop();
  proc = undefined;
});
