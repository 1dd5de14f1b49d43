import { LATENCY_BUCKETS, prom } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export function ingestMetrics(registry: Registry, source: string) {
  return {
    published: new prom.Counter({
      name: 'ingest_records_published_total',
      help: `Market records published to Kafka (source ${source})`,
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    dropped: new prom.Counter({
      name: 'ingest_records_dropped_total',
      help: 'Market records dropped before publishing, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    batchSize: new prom.Histogram({
      name: 'ingest_batch_records',
      help: 'Records per produce request',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    }),
    publishSeconds: new prom.Histogram({
      name: 'ingest_publish_seconds',
      help: 'From a record reaching the publisher (its ingest_time) to the broker acknowledging it',
      labelNames: ['topic'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    freshness: new prom.Gauge({
      name: 'ingest_last_event_timestamp_seconds',
      help: 'Event time of the newest record published, per topic (data freshness = now - this)',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    feedErrors: new prom.Counter({
      name: 'ingest_feed_errors_total',
      help: 'Errors reported by the feed or refused input, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    feedState: new prom.Gauge({
      name: 'ingest_feed_up',
      help: '1 while the source is running (connected and authenticated)',
      registers: [registry],
    }),
    reconnects: new prom.Counter({
      name: 'ingest_feed_reconnects_total',
      help: 'Times the feed reconnected',
      registers: [registry],
    }),
    symbols: new prom.Gauge({
      name: 'ingest_symbols_tracked',
      help: 'Symbols the source follows',
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
