import type { OrderEvent } from '@tickstream/contracts';
import { LATENCY_BUCKETS as HOP_BUCKETS, declareMetrics } from '@tickstream/platform';
import type { prom } from '@tickstream/platform';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type OrderMetrics = ReturnType<typeof orderMetrics>;

/** The order service's metrics on /metrics. */
export function orderMetrics(registry: prom.Registry) {
  const d = declareMetrics(registry);
  const m = {
    accepted: d.counter('orders_accepted_total', 'Orders that passed validation and risk limits'),
    rejected: d.counter('orders_rejected_total', 'Orders refused, by reason code', ['code']),
    fills: d.counter('orders_fills_total', 'Fills recorded'),
    fillLatency: d.histogram(
      'orders_fill_latency_seconds',
      'From the command issued_at to a fill being recorded',
      LATENCY_BUCKETS,
    ),
    commandToAccepted: d.histogram(
      'orders_command_to_accepted_seconds',
      'From the command issued_at to ACCEPTED being committed',
      LATENCY_BUCKETS,
    ),
    open: d.gauge('orders_open', 'Working orders (accepted, not done), all accounts'),
    duplicates: d.counter(
      'orders_duplicate_commands_total',
      'PLACE commands for an order that already exists (redelivery, double click)',
    ),
    published: d.counter('orders_events_published_total', 'Order events published from the outbox'),
    commandToEvent: d.histogram(
      'orders_command_to_event_seconds',
      'From the command issued_at to its outcome (ACCEPTED or REJECTED) acknowledged by Kafka',
      HOP_BUCKETS,
      ['type'],
    ),
    eventPublish: d.histogram(
      'orders_event_publish_seconds',
      'From the commit of an event (its hand-over to the publisher; for a row a sweep found, its created_at) to Kafka acknowledging it, by path: direct, or a sweep of the outbox',
      HOP_BUCKETS,
      ['path'],
    ),
    deadLetters: d.counter('orders_dead_letters_total', 'Records sent to the dead-letter topic', [
      'topic',
      'code',
    ]),
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
