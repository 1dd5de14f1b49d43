import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { GLOBAL_CONTROLS_ID } from '@tickstream/contracts';
import type { AvroCodec, Logger, TopicNames, prom } from '@tickstream/platform';
import { TypedConsumer, consumerContext, TypedProducer, offsetsSince } from '@tickstream/platform';
import { AlpacaBroker } from './alpaca';
import type { LedgerHooks } from './execution';
import { Controls, Ledger, QuoteBook, SimBroker, createCommandHandler } from './execution';
import { orderMetrics } from './metrics';
import { OutboxPublisher } from './store';

export interface OrderServiceDeps {
  kafka: Kafka;
  admin: Admin;
  codec: AvroCodec;
  names: TopicNames;
  db: Knex;
  log: Logger;
  registry: prom.Registry;
  masterKey: Buffer;
  alpaca: { tradingUrl: string; streamUrl: string };
  quoteWarmupMs: number;
  controlsIntervalMs: number;
  /** How long published outbox rows are kept (default a day). */
  outboxRetentionMs?: number;
  /** How long commands wait at start for the quotes published before it (default 15 s). */
  quoteCatchUpTimeoutMs?: number;
  /** Command partitions handled at once (default 4). */
  commandConcurrency?: number;
  /** Row of trading_controls holding the kill switch; default GLOBAL_CONTROLS_ID. */
  controlsId?: string;
  now?: () => number;
  hooks?: LedgerHooks;
}

export interface OrderService {
  stop(): Promise<void>;
}

/**
 * Builds and starts the order service's consumers and workers: commands (group `orders`, key =
 * account, so one instance owns each account's commands), quotes (a group of its own per
 * instance, from `quoteWarmupMs` ago: every instance needs the prices of whatever symbols its
 * accounts trade, and quotes are cheap to read twice), the outbox publisher, the periodic
 * controls and the Alpaca sessions. Used by main.ts and, in-process, by the tests.
 */
export async function startOrderService(deps: OrderServiceDeps): Promise<OrderService> {
  const { kafka, admin, codec, names, db, log } = deps;
  const now = deps.now ?? Date.now;
  const metrics = orderMetrics(deps.registry);
  const producer = new TypedProducer(kafka, codec, names);
  await producer.connect();

  // issued_at of the commands being handled, for command -> outcome on Kafka (entries live
  // until the batch's events are published).
  const issued = new Map<string, number>();
  const outbox = new OutboxPublisher({
    db,
    producer,
    topic: names.of('orderEvents'),
    log,
    retentionMs: deps.outboxRetentionMs,
    onPublished: (rows, path) => {
      const now = Date.now();
      metrics.published.inc(rows.length);
      for (const { payload: e, committedAt } of rows) {
        metrics.eventPublish.observe({ path }, Math.max(0, now - (committedAt ?? now)) / 1000);
        const at = issued.get(e.order_id);
        if (at !== undefined && (e.type === 'ACCEPTED' || e.type === 'REJECTED')) {
          metrics.commandToEvent.observe({ type: e.type }, Math.max(0, now - at) / 1000);
          issued.delete(e.order_id);
        }
      }
    },
  });
  // Events a crash left unpublished go out before anything new happens.
  await outbox.kick();
  outbox.start();

  const quotes = new QuoteBook();
  const ledger = new Ledger({
    db,
    outbox,
    log,
    now,
    controlsId: deps.controlsId ?? GLOBAL_CONTROLS_ID,
    scope: names.prefix,
    eventsTopic: names.of('orderEvents'),
    hooks: {
      committed: (events) => {
        metrics.countEvents(events);
        deps.hooks?.committed?.(events);
      },
    },
  });
  const onFill = (issuedAt: number) => metrics.fillLatency.observe(Math.max(0, Date.now() - issuedAt) / 1000);
  const sim = new SimBroker({ ledger, quotes, log, onFill });
  const alpaca = new AlpacaBroker({
    ledger,
    masterKey: deps.masterKey,
    tradingUrl: deps.alpaca.tradingUrl,
    streamUrl: deps.alpaca.streamUrl,
    log,
    onFill,
  });
  const controls = new Controls({
    ledger,
    sim,
    alpaca,
    quotes,
    metrics,
    log,
    intervalMs: deps.controlsIntervalMs,
  });
  const hooks = {
    onDeadLetter: (reason: { code: string }, topic: string) =>
      metrics.deadLetters.inc({ topic, code: reason.code }),
  };

  const startedAt = Date.now();
  const quoteReader = new TypedConsumer({
    ...consumerContext(deps),
    groupId: `orders-quotes-${randomUUID()}`,
    topics: ['quotes'],
    deadLetters: producer.producer,
    hooks,
    startAt: async (_id, topic) => offsetsSince(admin, topic, startedAt - deps.quoteWarmupMs),
  });
  await quoteReader.start(async (records) => {
    await sim.ready();
    for (const r of records) {
      quotes.set(r.value);
      // Warm-up quotes only price new orders: matching resting orders against them would fill
      // at prices from before the restart.
      if (r.timestamp >= startedAt) await sim.onQuote(r.value);
    }
  });

  // Commands wait (once, at start) until the quotes published before the start are read, but
  // not for ever: with the quote feed broken, orders are still answered (NO_MARKET_DATA).
  const quotesWarm = quoteReader.caughtUp(deps.quoteCatchUpTimeoutMs ?? 15_000).then((read) => {
    if (!read) log.warn('quotes from before the start are not all read yet; handling commands anyway');
  });
  const handle = createCommandHandler({ ledger, sim, alpaca, quotes, metrics, log });
  const commands = new TypedConsumer({
    ...consumerContext(deps),
    groupId: 'orders',
    topics: ['orderCommands'],
    deadLetters: producer.producer,
    hooks,
    // Each command waits on Postgres; accounts of different partitions never share a row lock,
    // so their commands run side by side while each partition keeps its order.
    partitionsConsumedConcurrently: deps.commandConcurrency ?? 4,
  });
  const commandTopic = names.of('orderCommands');
  commands.consumer.on(commands.consumer.events.GROUP_JOIN, (e) => {
    const owned = e.payload.memberAssignment[commandTopic] ?? [];
    controls.assign(owned);
    sim.assign(owned).catch((err: unknown) => log.error({ err }, 'could not rebuild the sim book'));
  });
  await commands.start(async (records) => {
    await quotesWarm;
    try {
      for (const r of records) {
        if (r.value.action === 'PLACE') issued.set(r.value.order_id, r.value.issued_at);
        await handle(r.value, r.partition);
      }
      // The batch's events are out (or in the outbox for the sweep) before its offsets move on,
      // so a partition handed to another instance starts after them.
      await outbox.settled();
    } finally {
      for (const r of records) issued.delete(r.value.order_id);
    }
  });

  await alpaca.start();
  controls.start();

  return {
    async stop() {
      await controls.stop();
      await commands.stop();
      await quoteReader.stop();
      await alpaca.stop();
      await outbox.stop();
      await outbox
        .kick()
        .catch((err: unknown) =>
          log.warn({ err }, 'final outbox publish failed; the next start publishes it'),
        );
      await producer.disconnect();
    },
  };
}
