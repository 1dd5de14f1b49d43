import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrderEvent } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import { createDatabase, ensureDatabase, migrate } from '@tickstream/platform';
import { ORDERS_MIGRATIONS } from '../../src/db';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, readAll, silentLog, typedProducer } from '../../../../test/support/kafka';
import type { OutboxRow, PublishPath } from '../../src/store';
import { OutboxPublisher } from '../../src/store';
import { OLDER_ROWS_LIMIT, insertOutbox } from '../../src/store/outbox-table';
import { ORDERS_TEST_DB } from '../harness';
import { orderEvent } from '../../../../test/support/order-commands';

// The publisher against the real Postgres and broker. Rows are written to the outbox here as a
// committed transaction would leave them; no timer runs, so only the paths under test publish.

let bed: KafkaTestbed;
let db: Knex;
let producer: TypedProducer;

beforeAll(async () => {
  bed = await kafkaTestbed('outbox');
  await ensureDatabase(ORDERS_TEST_DB);
  db = createDatabase(ORDERS_TEST_DB, { max: 4 });
  await migrate(db, ORDERS_MIGRATIONS);
  producer = await typedProducer(bed);
});

afterAll(async () => {
  await db('outbox')
    .where({ topic_id: bed.names.of('orderEvents') })
    .delete();
  await producer.disconnect();
  await db.destroy();
  await bed.close();
});

const event = (account: string, orderId: string, seq: number) =>
  orderEvent(account, {
    event_id: `${orderId}:${seq}`,
    order_id: orderId,
    client_order_id: orderId,
    seq,
    type: seq === 1 ? 'ACCEPTED' : 'NEW',
    symbol: 'OBX',
  });

/** A committed transaction's outbox rows and the older ones of its account its insert found. */
interface Committed {
  rows: OutboxRow[];
  older: OutboxRow[] | null;
}

/** Writes one account's events to the outbox as one committed transaction of the ledger would. */
async function commit(events: OrderEvent[]): Promise<Committed> {
  const accountId = events[0]!.account_id;
  const { ids, older } = await db.transaction((trx) =>
    insertOutbox(trx, trx.queryBuilder(), {
      topic: bed.names.of('orderEvents'),
      accountId,
      events,
      withOlder: true,
    }),
  );
  return { rows: events.map((e, i) => ({ id: ids[i]!, record_key: accountId, payload: e })), older };
}

const handOver = (outbox: OutboxPublisher, c: Committed) => outbox.committed(c.rows, c.older);

function publisher(
  published: { id: string; path: PublishPath }[],
  through: TypedProducer = producer,
): OutboxPublisher {
  return new OutboxPublisher({
    db,
    producer: through,
    topic: bed.names.of('orderEvents'),
    log: silentLog,
    onPublished: (rows, path) => published.push(...rows.map((r) => ({ id: r.payload.event_id, path }))),
  });
}

/** Event ids of `account` in the order the log holds them. */
async function inLog(account: string, atLeast: number): Promise<string[]> {
  const all = await readAll(
    bed.kafka,
    bed.names.of('orderEvents'),
    (msgs) => msgs.filter((m) => m.key?.toString() === account).length >= atLeast,
  );
  const mine = all
    .filter((m) => m.key?.toString() === account)
    .sort((a, b) => Number(a.offset) - Number(b.offset));
  return Promise.all(mine.map(async (m) => (await bed.codec.decode('orderEvents', m.value)).event_id));
}

const unpublished = async (rows: OutboxRow[]) =>
  (
    await db('outbox')
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .whereNull('published_at')
  ).length;

it('sends a committed transaction at once, with no query before the send, and marks it', async () => {
  const account = randomUUID();
  const order = randomUUID();
  const committed = await commit([event(account, order, 1), event(account, order, 2)]);
  const { rows } = committed;
  const published: { id: string; path: PublishPath }[] = [];
  const queries: string[] = [];
  const onQuery = (q: { sql: string }) => queries.push(q.sql);
  let queriesBeforeSend: string[] | undefined;
  const watched = Object.assign(Object.create(producer) as TypedProducer, {
    send: (...args: Parameters<TypedProducer['send']>) => {
      queriesBeforeSend ??= [...queries];
      return producer.send(...args);
    },
  });
  const outbox = publisher(published, watched);
  db.on('query', onQuery);
  handOver(outbox, committed);
  await outbox.settled();
  db.off('query', onQuery);
  // Commit -> Kafka is one produce request: the insert already said what else must go first.
  expect(queriesBeforeSend).toEqual([]);
  expect(published).toEqual([
    { id: `${order}:1`, path: 'direct' },
    { id: `${order}:2`, path: 'direct' },
  ]);
  expect(await inLog(account, 2)).toEqual([`${order}:1`, `${order}:2`]);
  await outbox.stop();
  expect(await unpublished(rows)).toBe(0);
});

it("never lets an account's event overtake an older one still unpublished", async () => {
  const account = randomUUID();
  const other = randomUUID();
  const [older, newer] = [randomUUID(), randomUUID()];
  // Left by another instance (or a crash) and not published yet.
  const left = await commit([event(account, older, 1)]);
  const mine = await commit([event(account, newer, 1)]);
  const otherRows = await commit([event(other, randomUUID(), 1)]);
  expect(mine.older?.map((r) => r.payload.event_id)).toEqual([`${older}:1`]);
  expect(otherRows.older).toEqual([]);
  const published: { id: string; path: PublishPath }[] = [];
  const outbox = publisher(published);
  handOver(outbox, mine);
  handOver(outbox, otherRows);
  await outbox.settled();
  expect(await inLog(account, 2)).toEqual([`${older}:1`, `${newer}:1`]);
  // Right after the commit, in order, without waiting for a pass over the table.
  expect(published.filter((p) => p.id.startsWith(older) || p.id.startsWith(newer))).toEqual([
    { id: `${older}:1`, path: 'direct' },
    { id: `${newer}:1`, path: 'direct' },
  ]);
  expect(await unpublished([...left.rows, ...mine.rows, ...otherRows.rows])).toBe(0);
  await outbox.stop();
});

it('sends an older row a later insert still saw only once, if it sent it already', async () => {
  const account = randomUUID();
  const orders = [randomUUID(), randomUUID()];
  const published: { id: string; path: PublishPath }[] = [];
  const outbox = publisher(published);
  const first = await commit([event(account, orders[0]!, 1)]);
  // The next transaction inserts before the first one's rows are marked published.
  const second = await commit([event(account, orders[1]!, 1)]);
  expect(second.older?.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  handOver(outbox, first);
  await outbox.settled();
  handOver(outbox, second);
  await outbox.settled();
  expect(published).toEqual(orders.map((o) => ({ id: `${o}:1`, path: 'direct' })));
  expect(await inLog(account, 2)).toEqual(orders.map((o) => `${o}:1`));
  await outbox.stop();
});

it('leaves a transaction to the sweep when its account has more older rows than an insert reads', async () => {
  const account = randomUUID();
  const backlog = Array.from({ length: OLDER_ROWS_LIMIT + 1 }, () => randomUUID());
  const left = await commit(backlog.map((o) => event(account, o, 1)));
  const newer = randomUUID();
  const mine = await commit([event(account, newer, 1)]);
  expect(mine.older).toBeNull();
  const published: { id: string; path: PublishPath }[] = [];
  const outbox = publisher(published);
  handOver(outbox, mine);
  await outbox.settled();
  expect(published.filter((p) => p.id === `${newer}:1`)).toEqual([{ id: `${newer}:1`, path: 'sweep' }]);
  expect(await inLog(account, backlog.length + 1)).toEqual([...backlog, newer].map((o) => `${o}:1`));
  expect(await unpublished([...left.rows, ...mine.rows])).toBe(0);
  await outbox.stop();
});

it('leaves rows whose direct send failed to the sweep, which sends them in order', async () => {
  const account = randomUUID();
  const orders = [randomUUID(), randomUUID()];
  let failures = 1;
  const flaky = Object.assign(Object.create(producer) as TypedProducer, {
    send: (...args: Parameters<TypedProducer['send']>) => {
      if (failures-- > 0) return Promise.reject(new Error('broker away (injected)'));
      return producer.send(...args);
    },
  });
  const published: { id: string; path: PublishPath }[] = [];
  const outbox = publisher(published, flaky);
  const first = await commit([event(account, orders[0]!, 1)]);
  handOver(outbox, first);
  await outbox.settled();
  expect(await unpublished(first.rows)).toBe(0);
  expect(published).toEqual([{ id: `${orders[0]}:1`, path: 'sweep' }]);
  const second = await commit([event(account, orders[1]!, 1)]);
  handOver(outbox, second);
  await outbox.settled();
  expect(await inLog(account, 2)).toEqual(orders.map((o) => `${o}:1`));
  expect(published.at(-1)).toEqual({ id: `${orders[1]}:1`, path: 'direct' });
  await outbox.stop();
});

it('deletes rows published longer ago than the retention, never a newer or an unpublished one', async () => {
  const account = randomUUID();
  const [old, recent, pending] = await Promise.all(
    [randomUUID(), randomUUID(), randomUUID()].map((o) => commit([event(account, o, 1)])),
  );
  const ids = (committed: Committed[]) => committed.flatMap((c) => c.rows.map((r) => r.id));
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
  await db('outbox')
    .whereIn('id', ids([old!]))
    .update({ published_at: twoDaysAgo });
  await db('outbox')
    .whereIn('id', ids([recent!]))
    .update({ published_at: db.fn.now() });
  const outbox = new OutboxPublisher({
    db,
    producer,
    topic: bed.names.of('orderEvents'),
    log: silentLog,
    retentionMs: 24 * 3600_000,
  });
  expect(await outbox.purgePublished()).toBeGreaterThanOrEqual(1);
  const left = await db('outbox')
    .whereIn('id', ids([old!, recent!, pending!]))
    .pluck('id');
  expect(left.map(String).sort()).toEqual(ids([recent!, pending!]).sort());
});
