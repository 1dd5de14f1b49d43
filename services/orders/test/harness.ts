import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Consumer } from 'kafkajs';
import type { OrderCommand, OrderEvent } from '@tickstream/contracts';
import { createDatabase, ensureDatabase, migrate, prom } from '@tickstream/platform';
import { ORDERS_MIGRATIONS } from '../src/db';
import { TEST_ENV, eventually } from '../../../test/support/env';
import { placeCommand } from '../../../test/support/order-commands';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { kafkaTestbed, silentLog } from '../../../test/support/kafka';
import type { OrderService, OrderServiceDeps } from '../src/service';
import { startOrderService } from '../src/service';
import { quote as quoteOf } from './domain/fixtures';

export const MASTER_KEY = randomBytes(32);

/**
 * The order-service tests' own database, named after the test database (`<name>_orders`): an
 * order service of another test run sharing the test database (an older build, say) would
 * otherwise sweep this run's open orders and outbox, and a branch with a newer migration would
 * leave a database the other branches' migrators refuse.
 */
export const ORDERS_TEST_DB = TEST_ENV.DATABASE_URL.replace(/\/([^/?]+)(\?.*)?$/, '/$1_orders$2');

/**
 * The order service in-process against the real broker and Postgres, with its own topic prefix
 * and its own kill-switch row, plus helpers to send commands and quotes and to watch events.
 */
export interface OrdersHarness {
  bed: KafkaTestbed;
  db: Knex;
  registry: prom.Registry;
  controlsId: string;
  events: OrderEvent[];
  start(overrides?: Partial<OrderServiceDeps>): Promise<OrderService>;
  stopService(): Promise<void>;
  /** A new account id (accounts are the gateway's: the order service keeps none), with its limits. */
  user(opts?: { limits?: Record<string, unknown> }): Promise<string>;
  place(accountId: string, fields?: Partial<OrderCommand>): Promise<OrderCommand>;
  /** Places a GTC limit order priced away from the market and waits until it works (NEW). */
  resting(accountId: string, fields: Partial<OrderCommand> & { limit_price: number }): Promise<OrderCommand>;
  send(cmd: OrderCommand): Promise<void>;
  /** Sends a quote; resolves with its event time. */
  quote(symbol: string, bid: number, ask: number, size?: number): Promise<number>;
  /**
   * Sends a quote and waits until the service has it: its mark in quote_marks carries this
   * quote's time (the table outlives test runs, so an older row of the symbol proves nothing).
   */
  quoted(symbol: string, bid: number, ask: number): Promise<void>;
  eventsOf(orderId: string): OrderEvent[];
  waitFor(orderId: string, type: OrderEvent['type'], timeoutMs?: number): Promise<OrderEvent>;
  close(): Promise<void>;
}

export async function ordersHarness(label: string): Promise<OrdersHarness> {
  const bed = await kafkaTestbed(label);
  await ensureDatabase(ORDERS_TEST_DB);
  const db = createDatabase(ORDERS_TEST_DB, { max: 6 });
  await migrate(db, ORDERS_MIGRATIONS);
  const controlsId = `t-${randomUUID().slice(0, 12)}`;
  await db('trading_controls').insert({ id: controlsId, kill_switch: false });
  const events: OrderEvent[] = [];
  const reader: Consumer = bed.kafka.consumer({ groupId: `${bed.prefix}events-reader`, maxWaitTimeInMs: 50 });
  await reader.connect();
  await reader.subscribe({ topic: bed.names.of('orderEvents'), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) =>
      void events.push(await bed.codec.decode('orderEvents', message.value)),
  });
  let service: OrderService | undefined;
  let registry = new prom.Registry();

  const h: OrdersHarness = {
    bed,
    db,
    get registry() {
      return registry;
    },
    controlsId,
    events,
    async start(overrides = {}) {
      registry = new prom.Registry();
      service = await startOrderService({
        kafka: bed.kafka,
        admin: bed.admin,
        codec: bed.codec,
        names: bed.names,
        db,
        log: silentLog,
        registry,
        masterKey: MASTER_KEY,
        alpaca: { tradingUrl: 'http://127.0.0.1:1', streamUrl: 'ws://127.0.0.1:1' },
        quoteWarmupMs: 60_000,
        controlsIntervalMs: 200,
        controlsId,
        ...overrides,
      });
      return service;
    },
    async stopService() {
      await service?.stop();
      service = undefined;
    },
    async user(opts = {}) {
      const id = randomUUID();
      if (opts.limits) await db('risk_limits').insert({ user_id: id, limits: JSON.stringify(opts.limits) });
      return id;
    },
    async place(accountId, fields = {}) {
      const cmd = placeCommand(accountId, fields);
      await h.send(cmd);
      return cmd;
    },
    async resting(accountId, fields) {
      const cmd = await h.place(accountId, { order_type: 'LIMIT', time_in_force: 'GTC', ...fields });
      await h.waitFor(cmd.order_id, 'NEW');
      return cmd;
    },
    async send(cmd) {
      await bed.producer.send({
        topic: bed.names.of('orderCommands'),
        messages: [{ key: cmd.account_id, value: await bed.codec.encode('orderCommands', cmd) }],
      });
    },
    async quote(symbol, bid, ask, size = 1000) {
      const now = Date.now();
      const q = quoteOf(bid, ask, { symbol, time: now, bidSize: size, askSize: size });
      await bed.producer.send({
        topic: bed.names.of('quotes'),
        messages: [{ key: symbol, value: await bed.codec.encode('quotes', q) }],
      });
      return now;
    },
    async quoted(symbol, bid, ask) {
      const time = await h.quote(symbol, bid, ask);
      await markedSince(db, symbol, time, 10_000);
    },
    eventsOf: (orderId) => events.filter((e) => e.order_id === orderId).sort((a, b) => a.seq - b.seq),
    waitFor: (orderId, type, timeoutMs = 40_000) =>
      eventually(
        () => events.find((e) => e.order_id === orderId && e.type === type),
        timeoutMs,
        `${type} of ${orderId}`,
      ).catch(async (err: Error) => {
        // Where it stopped: in the database (never handled, or written and not published) or on
        // the way to the events reader.
        const order = (await db('orders').where({ order_id: orderId }).first()) as
          { status: string } | undefined;
        const outbox = (await db('outbox')
          .whereRaw("payload->>'order_id' = ?", [orderId])
          .select(db.raw("payload->>'type' as type"), 'published_at')) as Array<{
          type: string;
          published_at: Date | null;
        }>;
        const seen = h.eventsOf(orderId).map((e) => e.type);
        throw new Error(
          `${err.message}; order row: ${order?.status ?? 'none'}; outbox: ${
            outbox.map((o) => `${o.type}${o.published_at ? '' : ' (unpublished)'}`).join(', ') || 'none'
          }; events read: ${seen.join(', ') || 'none'} of ${events.length} in all`,
        );
      }),
    async close() {
      await service?.stop();
      await reader.disconnect();
      await db('trading_controls').where({ id: controlsId }).delete();
      await db.destroy();
      await bed.close();
    },
  };
  return h;
}

/**
 * The harness of one suite: made and started before its tests, closed after them. The suites
 * that start the service their own way (other deps, or not at all) call ordersHarness instead.
 */
export function suiteOrdersHarness(label: string): () => OrdersHarness {
  let h: OrdersHarness | undefined;
  beforeAll(async () => {
    h = await ordersHarness(label);
    await h.start();
  });
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error(`${label}: the orders harness is used outside the suite's tests`);
    return h;
  };
}

/** Waits until quote_marks holds a mark of `symbol` from `time` or later. */
export async function markedSince(db: Knex, symbol: string, time: number, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const row = (await db('quote_marks').where({ symbol }).first()) as { quote_time: Date } | undefined;
      return row !== undefined && row.quote_time.getTime() >= time;
    },
    timeoutMs,
    `the mark of the ${symbol} quote sent at ${new Date(time).toISOString()}`,
  );
}
