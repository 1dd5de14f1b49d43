import type { Bar, Quote, Trade } from '@tickstream/contracts';
import type { AvroCodec, TopicNames } from '@tickstream/platform';
import { createReliableProducer, prom } from '@tickstream/platform';
import type { Kafka } from 'kafkajs';
import { ingestMetrics } from '../../services/ingest/src/metrics';
import { MarketPublisher } from '../../services/ingest/src/publisher';
import type { FullSpeedOptions } from '../../services/ingest/src/sources';
import { runSimFullSpeed } from '../../services/ingest/src/sources';
import { silentLog } from '../../test/support/kafka';

export type SimRecord = { topic: 'trades' | 'quotes' | 'bars'; value: Trade | Quote | Bar };

/**
 * `total` simulator records (seed 7), made at full speed: the same each run. Ten symbols and
 * one-minute bars unless `spread` says otherwise.
 */
export async function simRecords(
  total: number,
  spread: Partial<Pick<FullSpeedOptions, 'symbols' | 'barIntervalMs' | 'batchMs'>> = {},
): Promise<SimRecord[]> {
  const records: SimRecord[] = [];
  await runSimFullSpeed({
    seed: 7,
    symbols: ['SPY', 'QQQ', 'AAPL', 'TSLA', 'NVDA', 'MSFT', 'GOOGL', 'META', 'AMZN', 'AMD'],
    records: total,
    barIntervalMs: 60_000,
    ...spread,
    sink: {
      trade: (value) => records.push({ topic: 'trades', value }),
      quote: (value) => records.push({ topic: 'quotes', value }),
      bar: (value) => records.push({ topic: 'bars', value }),
    },
  });
  return records;
}

/**
 * Seconds the ingest service's path takes to publish `records`: handed to its publisher as a
 * source would (no linger), over `producers` reliable producers of `kafka`, until all are acked.
 */
export async function publishThroughIngest(options: {
  kafka: Kafka;
  codec: AvroCodec;
  names: TopicNames;
  records: SimRecord[];
  producers: number;
  maxBatch: number;
}): Promise<number> {
  const { records } = options;
  const producers = Array.from({ length: options.producers }, () => createReliableProducer(options.kafka));
  await Promise.all(producers.map((p) => p.connect()));
  const publisher = new MarketPublisher({
    producers,
    codec: options.codec,
    names: options.names,
    log: silentLog,
    lingerMs: 0,
    maxBatch: options.maxBatch,
    maxBuffered: records.length * 2,
    metrics: ingestMetrics(new prom.Registry(), 'sim'),
  });
  const t0 = performance.now();
  for (const r of records) {
    if (r.topic === 'trades') publisher.trade(r.value as Trade);
    else if (r.topic === 'quotes') publisher.quote(r.value as Quote);
    else publisher.bar(r.value as Bar);
  }
  await publisher.close();
  const sec = (performance.now() - t0) / 1000;
  await Promise.all(producers.map((p) => p.disconnect()));
  return sec;
}
