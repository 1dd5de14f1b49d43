import { LATENCY_BUCKETS, declareMetrics } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export function ingestMetrics(registry: Registry, source: string) {
  const m = declareMetrics(registry);
  return {
    published: m.counter(
      'ingest_records_published_total',
      `Market records published to Kafka (source ${source})`,
      ['topic'],
    ),
    dropped: m.counter(
      'ingest_records_dropped_total',
      'Market records dropped before publishing, by reason',
      ['reason'],
    ),
    batchSize: m.histogram(
      'ingest_batch_records',
      'Records per produce request',
      [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    ),
    publishSeconds: m.histogram(
      'ingest_publish_seconds',
      'From a record reaching the publisher (its ingest_time) to the broker acknowledging it',
      LATENCY_BUCKETS,
      ['topic'],
    ),
    freshness: m.gauge(
      'ingest_last_event_timestamp_seconds',
      'Event time of the newest record published, per topic (data freshness = now - this)',
      ['topic'],
    ),
    feedErrors: m.counter(
      'ingest_feed_errors_total',
      'Errors reported by the feed or refused input, by code',
      ['code'],
    ),
    feedState: m.gauge('ingest_feed_up', '1 while the source is running (connected and authenticated)'),
    reconnects: m.counter('ingest_feed_reconnects_total', 'Times the feed reconnected'),
    symbols: m.gauge('ingest_symbols_tracked', 'Symbols the source follows'),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
