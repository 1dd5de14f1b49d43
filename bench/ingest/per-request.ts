// What one produce request costs in CPU, by its size: the ingest path (encode, one lane of the
// publisher, the reliable producer) against a bare idempotent KafkaJS producer sending the same
// records pre-encoded, both one request at a time. At a steady rate the records per request are
// set by the round trip and the lanes, so this says how much of the per-record cost in the e2e
// bench is paid per request.
// `npm run bench -- ingest --per-request 1,4,16,64,256 [--per-size 6000]`.
import { PerformanceObserver } from 'node:perf_hooks';
import type { Bar, Quote, Trade } from '@tickstream/contracts';
import { TOPICS, createReliableProducer, partitionOfKey, prom } from '@tickstream/platform';
import type { Message } from 'kafkajs';
import { ingestMetrics } from '../../services/ingest/src/metrics';
import { MarketPublisher } from '../../services/ingest/src/publisher';
import type { KafkaTestbed } from '../../test/support/kafka';
import { silentLog } from '../../test/support/kafka';
import type { SimRecord } from '../support/ingest';
import { simRecords } from '../support/ingest';
import { benchLine, printTable } from '../support/report';

/** `total` simulator records over 250 symbols (the e2e bench's spread over partitions). */
function wideRecords(total: number): Promise<SimRecord[]> {
  return simRecords(total, {
    symbols: Array.from({ length: 250 }, (_, i) => `S${String(i).padStart(3, '0')}`),
    barIntervalMs: 5000,
    batchMs: 200,
  });
}

interface Cost {
  usPerRequest: number;
  usPerRecord: number;
  gcPer1k: number;
}

export async function perRequest(bed: KafkaTestbed, sizes: number[], perSize: number): Promise<void> {
  const records = await wideRecords(perSize);
  await bed.codec.registerAll(['trades', 'quotes', 'bars']);
  const encoded = records.map((r) => ({
    topic: bed.names.of(r.topic),
    key: r.value.symbol,
    value: bed.codec.encodeSync(r.topic, r.value as never),
    partition: partitionOfKey(r.topic, r.value.symbol, TOPICS[r.topic].partitions),
  }));

  let gcs = 0;
  const gcObserver = new PerformanceObserver((list) => void (gcs += list.getEntries().length));
  gcObserver.observe({ entryTypes: ['gc'] });
  /** Requests of `size` records, one after another, over the first `perSize` records. */
  const measure = async (
    size: number,
    request: (from: number, to: number) => Promise<void>,
  ): Promise<Cost> => {
    const gc0 = gcs;
    const cpu0 = process.cpuUsage();
    let requests = 0;
    for (let i = 0; i + size <= records.length; i += size, requests++) await request(i, i + size);
    const cpu = process.cpuUsage(cpu0);
    const us = cpu.user + cpu.system;
    return {
      usPerRequest: us / requests,
      usPerRecord: us / (requests * size),
      gcPer1k: ((gcs - gc0) * 1000) / (requests * size),
    };
  };

  const bare = bed.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const lane = createReliableProducer(bed.kafka);
  await Promise.all([bare.connect(), lane.connect()]);
  const publisher = new MarketPublisher({
    producers: [lane],
    codec: bed.codec,
    names: bed.names,
    log: silentLog,
    lingerMs: 0,
    maxBatch: Math.max(...sizes),
    maxBuffered: records.length * 2,
    metrics: ingestMetrics(new prom.Registry(), 'sim'),
  });
  const bareRequest = async (from: number, to: number) => {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, partition } of encoded.slice(from, to)) {
      const list = byTopic.get(topic) ?? [];
      list.push({ key, value, partition });
      byTopic.set(topic, list);
    }
    await bare.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  };
  // Records handed over as a source does (stamped on the way), then the lane's one request.
  const ingestRequest = async (from: number, to: number) => {
    const now = Date.now();
    for (const r of records.slice(from, to)) {
      if (r.topic === 'trades') publisher.trade({ ...(r.value as Trade), ingest_time: now });
      else if (r.topic === 'quotes') publisher.quote({ ...(r.value as Quote), ingest_time: now });
      else publisher.bar({ ...(r.value as Bar), ingest_time: now });
    }
    await publisher.flush();
  };
  const rows: { size: number; bare: Cost; ingest: Cost }[] = [];
  try {
    // A first pass warms the JIT, the connections and the metadata; the second is reported.
    for (const size of sizes) await measure(size, bareRequest).then(() => measure(size, ingestRequest));
    for (const size of sizes)
      rows.push({ size, bare: await measure(size, bareRequest), ingest: await measure(size, ingestRequest) });
  } finally {
    gcObserver.disconnect();
    await publisher.close();
    await Promise.all([bare.disconnect(), lane.disconnect()]);
  }
  printTable([
    [
      'records/request',
      'bare µs/request',
      'bare µs/record',
      'ingest µs/request',
      'ingest µs/record',
      'ingest GCs/1k',
    ],
    ...rows.map((r) => [
      r.size,
      r.bare.usPerRequest,
      r.bare.usPerRecord,
      r.ingest.usPerRequest,
      r.ingest.usPerRecord,
      r.ingest.gcPer1k,
    ]),
  ]);
  benchLine(
    'ingest_per_request',
    Object.fromEntries(
      rows.flatMap((r) => [
        [`bare_us_per_request_${r.size}`, r.bare.usPerRequest],
        [`ingest_us_per_request_${r.size}`, r.ingest.usPerRequest],
      ]),
    ),
  );
}
