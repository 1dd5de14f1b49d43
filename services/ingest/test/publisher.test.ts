import type { Quote } from '@tickstream/contracts';
import { createReliableProducer } from '@tickstream/platform';
import type { Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { kafkaTestbed, readAll, silentLog } from '../../../test/support/kafka';
import { quote as quoteOf } from '../../../test/support/records';
import { ingestMetrics } from '../src/metrics';
import { MarketPublisher } from '../src/publisher';

const SYMBOLS = Array.from({ length: 40 }, (_, i) => `P${String.fromCharCode(65 + (i % 26))}${i}`);

/** The i-th quote of the stream; `bid_size` carries i so the log's order can be checked. */
const quote = (i: number): Quote => ({
  ...quoteOf(SYMBOLS[i % SYMBOLS.length]!, 100),
  event_time: Date.UTC(2026, 10, 2, 15) + i,
  bid_size: i,
});

/** The real producer, with its concurrent sendBatch calls counted and chosen calls failed. */
function watched(
  producer: Producer,
  stats: { inFlight: number; maxInFlight: number },
  fails: (call: number) => boolean = () => false,
): Producer {
  let calls = 0;
  return Object.assign(Object.create(producer) as Producer, {
    sendBatch: async (batch: Parameters<Producer['sendBatch']>[0]) => {
      calls++;
      if (fails(calls)) throw new Error(`request ${calls} failed (injected, nothing sent)`);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        return await producer.sendBatch(batch);
      } finally {
        stats.inFlight--;
      }
    },
  });
}

describe('market publisher on the real broker', () => {
  let bed: KafkaTestbed;
  const producers: Producer[] = [];

  beforeAll(async () => {
    bed = await kafkaTestbed('publisher');
    for (let i = 0; i < 3; i++) {
      const p = createReliableProducer(bed.kafka);
      await p.connect();
      producers.push(p);
    }
  });

  afterAll(async () => {
    for (const p of producers) await p.disconnect();
    await bed.close();
  });

  /** Publishes quotes [from, to) through `lanes` and returns the publisher's metrics. */
  async function publish(from: number, to: number, lanes: Producer[]): Promise<Registry> {
    const registry = new Registry();
    const publisher = new MarketPublisher({
      producers: lanes,
      codec: bed.codec,
      names: bed.names,
      log: silentLog,
      metrics: ingestMetrics(registry, 'sim'),
      lingerMs: 0,
      maxBatch: 50,
      maxBuffered: 100_000,
    });
    for (let i = from; i < to; i++) publisher.quote(quote(i));
    await publisher.close();
    return registry;
  }

  /** Every quote of [from, to) exactly once, and each partition holds them in publish order. */
  async function expectWholeAndOrdered(from: number, to: number): Promise<void> {
    const ends = await bed.admin.fetchTopicOffsets(bed.names.of('quotes'));
    const total = ends.reduce((n, p) => n + Number(p.high), 0);
    const all = await readAll(bed.kafka, bed.names.of('quotes'), total, 30000);
    const mine = await Promise.all(
      all.map(async (m) => ({
        partition: m.partition,
        offset: Number(m.offset),
        i: (await bed.codec.decode('quotes', m.value)).bid_size,
      })),
    );
    const ours = mine.filter((m) => m.i >= from && m.i < to);
    expect(ours.map((m) => m.i).sort((a, b) => a - b)).toEqual(
      Array.from({ length: to - from }, (_, k) => from + k),
    );
    for (const partition of new Set(ours.map((m) => m.partition))) {
      const inLog = ours.filter((m) => m.partition === partition).sort((a, b) => a.offset - b.offset);
      const order = inLog.map((m) => m.i);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }

  it('keeps several requests in flight, loses nothing and keeps each partition in order', async () => {
    const stats = { inFlight: 0, maxInFlight: 0 };
    const registry = await publish(
      0,
      3000,
      producers.map((p) => watched(p, stats)),
    );
    expect(stats.maxInFlight).toBeGreaterThan(1);
    await expectWholeAndOrdered(0, 3000);
    const count = (await registry.metrics())
      .split('\n')
      .find((l) => l.startsWith('ingest_publish_seconds_count{topic="quotes"}'));
    expect(Number(count?.split(' ').at(-1))).toBe(3000);
  });

  it('puts a failed request back in front of its lane: still whole and in order', async () => {
    const stats = { inFlight: 0, maxInFlight: 0 };
    const registry = await publish(10_000, 12_000, [
      watched(producers[0]!, stats, (call) => call === 2 || call === 3),
      watched(producers[1]!, stats),
      watched(producers[2]!, stats, (call) => call === 4),
    ]);
    await expectWholeAndOrdered(10_000, 12_000);
    const dropped = await registry.getSingleMetric('ingest_records_dropped_total')!.get();
    expect(dropped.values.reduce((n, v) => n + v.value, 0)).toBe(0);
  });
});
