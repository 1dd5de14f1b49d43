// The baseline: plain KafkaJS, one producer and one consumer on a topic shaped like the market
// topics, carrying the same number of records with the bytes ingest would write (the
// simulator's records, Avro-encoded by the platform codec).
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import type { AvroCodec } from '@tickstream/platform';
import { createMarketSimulator } from '@tickstream/marketdata';
import { createTopicsServed } from '@tickstream/platform';
import { benchVectors } from '../inference/vectors';
import { percentile } from '../support/report';

export interface BareResult {
  records: number;
  avgBytes: number;
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

async function sampleRecords(
  codec: AvroCodec,
  symbols: readonly string[],
  barIntervalMs: number,
  count: number,
): Promise<{ key: string; value: Buffer }[]> {
  const now = Date.now();
  const sim = createMarketSimulator({ seed: 11, barIntervalMs, symbols, startTime: now });
  const out: { key: string; value: Buffer }[] = [];
  let t = now;
  while (out.length < count) {
    t += 10_000;
    for (const e of sim.step(t)) {
      const rec = { ...e.record, ingest_time: now };
      const value =
        e.kind === 'quote'
          ? await codec.encode('quotes', rec as never)
          : e.kind === 'trade'
            ? await codec.encode('trades', rec as never)
            : await codec.encode('bars', rec as never);
      out.push({ key: rec.symbol, value });
      if (out.length >= count) break;
    }
  }
  return out;
}

/**
 * A six-partition topic (`replicationFactor` as the pipeline's: 3 on the cluster) with one
 * idempotent producer and one consumer of its own group subscribed; `close` deletes the topic.
 */
async function bareClients(
  kafka: Kafka,
  topic: string,
  replicationFactor: number,
  { maxWaitTimeInMs, fromBeginning }: { maxWaitTimeInMs: number; fromBeginning: boolean },
): Promise<{ producer: Producer; consumer: Consumer; close(): Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsServed(admin, [{ topic, numPartitions: 6, replicationFactor }]);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning });
  return {
    producer,
    consumer,
    async close() {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Produces `count` records as fast as acks=all allows while one consumer reads them back. */
export async function runBare(
  kafka: Kafka,
  codec: AvroCodec,
  topic: string,
  symbols: readonly string[],
  barIntervalMs: number,
  count: number,
  /** As the pipeline's topics: 3 on the cluster. */
  replicationFactor = 1,
): Promise<BareResult> {
  const records = await sampleRecords(codec, symbols, barIntervalMs, count);
  const { producer, consumer, close } = await bareClients(kafka, topic, replicationFactor, {
    maxWaitTimeInMs: 50,
    fromBeginning: true,
  });
  const latencies: number[] = [];
  let seen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) latencies.push(now - Number(m.timestamp));
      seen += batch.messages.length;
      if (seen >= records.length) resolveDone();
    },
  });
  // Let the group settle first, or the rebalance would be timed as throughput.
  await new Promise((r) => setTimeout(r, 3000));
  const t0 = Date.now();
  const BATCH = 1000;
  for (let i = 0; i < records.length; i += BATCH) {
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: records.slice(i, i + BATCH),
    });
  }
  await done;
  const secs = (Date.now() - t0) / 1000;
  await close();
  latencies.sort((a, b) => a - b);
  return {
    records: records.length,
    avgBytes: records.reduce((s, r) => s + r.value.length + r.key.length, 0) / records.length,
    msgsPerSec: records.length / secs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export interface BareBurstResult {
  bursts: number;
  perBurst: number;
  avgBytes: number;
  p50Ms: number;
  p99Ms: number;
}

/** Milliseconds since the epoch, with the fraction (Date.now() counts whole ones). */
const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * The bare-KafkaJS counterpart of the features -> inference hop at a bar boundary: one
 * feature vector per symbol (Avro, as features writes them) in one send, `bursts` times
 * `gapMs` apart, read by one consumer that takes the six partitions at once, as inference's
 * does. A record's latency runs from just before its send to its batch reaching eachBatch: the
 * part of feature -> prediction that Kafka and KafkaJS alone take, before any compute or scoring.
 * The producer is idempotent with acks=all and one request in flight, and the consumer commits
 * nothing while it reads, as the services' (they commit from a timer).
 */
export async function runBareBursts(
  kafka: Kafka,
  codec: AvroCodec,
  topic: string,
  symbols: readonly string[],
  { bursts, gapMs, replicationFactor = 1 }: { bursts: number; gapMs: number; replicationFactor?: number },
): Promise<BareBurstResult> {
  // The last of each symbol's vectors: one per symbol, warmed up like a running engine's.
  const lastOfEach = new Map(benchVectors(symbols, 40).map((v) => [v.symbol, v]));
  const messages = await Promise.all(
    [...lastOfEach.values()].map(async (v) => ({ key: v.symbol, value: await codec.encode('features', v) })),
  );
  const { producer, consumer, close } = await bareClients(kafka, topic, replicationFactor, {
    maxWaitTimeInMs: 100,
    fromBeginning: false,
  });
  const latencies: number[] = [];
  let sentAt = 0;
  let received = 0;
  let burstDone: (() => void) | undefined;
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      const now = preciseNow();
      // Bursts go one at a time, each once the one before has arrived: every record is the current one's.
      for (let i = 0; i < batch.messages.length; i++) latencies.push(now - sentAt);
      received += batch.messages.length;
      if (received >= messages.length) burstDone?.();
    },
  });
  // Let the group settle first: a burst into a rebalance would time the rebalance.
  await new Promise((r) => setTimeout(r, 3000));
  for (let b = 0; b < bursts; b++) {
    received = 0;
    const arrived = new Promise<void>((resolve) => {
      burstDone = resolve;
      setTimeout(resolve, 10_000).unref();
    });
    sentAt = preciseNow();
    await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    await arrived;
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await close();
  latencies.sort((a, b) => a - b);
  return {
    bursts,
    perBurst: messages.length,
    avgBytes: messages.reduce((s, m) => s + m.value.length + m.key.length, 0) / messages.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
