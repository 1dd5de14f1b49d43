import type { OrderEvent } from '@tickstream/contracts';
import { LATENCY_BUCKETS as HOP_BUCKETS, prom } from '@tickstream/platform';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type OrderMetrics = ReturnType<typeof orderMetrics>;

/** The order service's metrics on /metrics. */
export function orderMetrics(registry: prom.Registry) {
  const m = {
    accepted: new prom.Counter({
      name: 'orders_accepted_total',
      help: 'Orders that passed validation and risk limits',
      registers: [registry],
    }),
    rejected: new prom.Counter({
      name: 'orders_rejected_total',
      help: 'Orders refused, by reason code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    fills: new prom.Counter({ name: 'orders_fills_total', help: 'Fills recorded', registers: [registry] }),
    fillLatency: new prom.Histogram({
      name: 'orders_fill_latency_seconds',
      help: 'From the command issued_at to a fill being recorded',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    commandToAccepted: new prom.Histogram({
      name: 'orders_command_to_accepted_seconds',
      help: 'From the command issued_at to ACCEPTED being committed',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    open: new prom.Gauge({
      name: 'orders_open',
      help: 'Working orders (accepted, not done), all accounts',
      registers: [registry],
    }),
    duplicates: new prom.Counter({
      name: 'orders_duplicate_commands_total',
      help: 'PLACE commands for an order that already exists (redelivery, double click)',
      registers: [registry],
    }),
    published: new prom.Counter({
      name: 'orders_events_published_total',
      help: 'Order events published from the outbox',
      registers: [registry],
    }),
    commandToEvent: new prom.Histogram({
      name: 'orders_command_to_event_seconds',
      help: 'From the command issued_at to its outcome (ACCEPTED or REJECTED) acknowledged by Kafka',
      labelNames: ['type'] as const,
      buckets: HOP_BUCKETS,
      registers: [registry],
    }),
    eventPublish: new prom.Histogram({
      name: 'orders_event_publish_seconds',
      help: 'From the commit of an event (its hand-over to the publisher; for a row a sweep found, its created_at) to Kafka acknowledging it, by path: direct, or a sweep of the outbox',
      labelNames: ['path'] as const,
      buckets: HOP_BUCKETS,
      registers: [registry],
    }),
    deadLetters: new prom.Counter({
      name: 'orders_dead_letters_total',
      help: 'Records sent to the dead-letter topic',
      labelNames: ['topic', 'code'] as const,
      registers: [registry],
    }),
  };
  return {
    ...m,
    /** Counts the outcome events of a committed transaction. */
    countEvents(events: readonly OrderEvent[]): void {
      for (const e of events) {
        if (e.type === 'ACCEPTED') m.accepted.inc();
        else if (e.type === 'REJECTED') m.rejected.inc({ code: e.reason_code ?? 'UNKNOWN' });
        else if (e.type === 'FILLED' || e.type === 'PARTIALLY_FILLED') m.fills.inc();
      }
    },
  };
}
