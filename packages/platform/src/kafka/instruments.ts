import type { Kafka } from 'kafkajs';
import type client from 'prom-client';
import type { Registry } from 'prom-client';
import { declareMetrics } from '../metrics';

/** Metrics every TypedConsumer and TypedProducer of a service records, in the service's registry. */
export interface KafkaInstruments {
  lag: client.Gauge<'consumergroup' | 'topic' | 'partition'>;
  consumed: client.Counter<'consumergroup' | 'topic'>;
  batchSeconds: client.Histogram<'consumergroup' | 'topic'>;
  recordAge: client.Histogram<'consumergroup' | 'topic'>;
  lastRecordTime: client.Gauge<'consumergroup' | 'topic'>;
  retries: client.Counter<'consumergroup' | 'topic'>;
  deadLetters: client.Counter<'consumergroup' | 'topic' | 'code'>;
  produced: client.Counter<'topic'>;
  produceErrors: client.Counter<'topic'>;
  produceSeconds: client.Histogram<'topic'>;
  fetches: client.Counter<'consumergroup'>;
  /**
   * Run before a scrape reads `lag`, `consumed` and `lastRecordTime`: consumers keep those per
   * batch in plain fields and write them here (a labelled prom-client call hashes its labels
   * each time, and a consumer handles hundreds of small batches a second).
   */
  beforeCollect: Set<() => void>;
}

const byKafka = new WeakMap<Kafka, KafkaInstruments>();
// A registry holds each metric name once: a second client bound to it shares the instruments.
const byRegistry = new WeakMap<Registry, KafkaInstruments>();

/** Seconds; shared by the per-hop latency histograms so they can be read side by side. */
export const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30];
/** For the steps of handling one batch: from well under a millisecond (decoding, computing) up. */
export const STEP_BUCKETS = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

function create(registry: Registry): KafkaInstruments {
  const m = declareMetrics(registry);
  const group = ['consumergroup', 'topic'] as const;
  const beforeCollect = new Set<() => void>();
  const collect = () => {
    for (const flush of beforeCollect) flush();
  };
  return {
    beforeCollect,
    // Named as kafka-exporter names it, so dashboards written for it read this too.
    lag: m.gauge(
      'kafka_consumergroup_lag',
      'Records between the last one handled and the high watermark, per group and partition',
      ['consumergroup', 'topic', 'partition'],
      collect,
    ),
    consumed: m.counter(
      'kafka_consumer_records_total',
      'Records handled (or dead-lettered) by the consumer',
      group,
      collect,
    ),
    batchSeconds: m.histogram(
      'kafka_consumer_batch_duration_seconds',
      'Time to decode and handle one fetched batch',
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      group,
    ),
    // One hop of the pipeline per (group, topic): from the producer's send (the record's Kafka
    // timestamp) to the handler. Fine buckets at the low end: the hop is milliseconds when healthy.
    recordAge: m.histogram(
      'kafka_consumer_record_age_seconds',
      'Age of a record (now minus its Kafka timestamp) when it reaches the handler',
      LATENCY_BUCKETS,
      group,
    ),
    lastRecordTime: m.gauge(
      'kafka_consumer_last_record_timestamp_seconds',
      'Kafka timestamp of the newest record handled (data freshness = time() - this)',
      group,
      collect,
    ),
    // Records per fetch (records_total / this) is what a consumer's CPU per record follows: most
    // of a small fetch's cost is the fetch (its request, every assigned partition's answer).
    fetches: m.counter(
      'kafka_consumer_fetches_total',
      'Fetch requests answered to the consumer (with records or not)',
      ['consumergroup'],
    ),
    retries: m.counter(
      'kafka_consumer_retries_total',
      'Batches given back to Kafka for a retry after a retryable handler error',
      group,
    ),
    deadLetters: m.counter(
      'kafka_consumer_dead_letters_total',
      'Records sent to the dead-letter topic, by reason code',
      ['consumergroup', 'topic', 'code'],
    ),
    produced: m.counter('kafka_producer_records_total', 'Records acknowledged by the brokers', ['topic']),
    produceErrors: m.counter(
      'kafka_producer_errors_total',
      'Produce requests that failed after the client retries',
      ['topic'],
    ),
    produceSeconds: m.histogram(
      'kafka_producer_send_duration_seconds',
      'Time for a produce request to be acknowledged (acks=all)',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      ['topic'],
    ),
  };
}

/**
 * Makes the typed consumers and producers built on `kafka` record their metrics in `registry`.
 * bootService binds its client to the service's registry, so every service reports lag and
 * throughput the same way without wiring it at each consumer. Several clients may be bound to one
 * registry (a service with a second, differently tuned client); they share the series.
 *
 * @example
 *   bindKafkaMetrics(kafka, registry);
 */
export function bindKafkaMetrics(kafka: Kafka, registry: Registry): KafkaInstruments {
  const instruments = byKafka.get(kafka) ?? byRegistry.get(registry) ?? create(registry);
  byKafka.set(kafka, instruments);
  byRegistry.set(registry, instruments);
  return instruments;
}

export function kafkaInstruments(kafka: Kafka): KafkaInstruments | undefined {
  return byKafka.get(kafka);
}
