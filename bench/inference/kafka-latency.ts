import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { kafkaTestbed, typedProducer } from '../../test/support/kafka';
import { startService } from '../../test/support/service-process';
import { scratchDatabase } from '../support/database';
import { percentile } from '../support/report';

export interface LatencyResult {
  vectors: number;
  /** Feature vector stamped and produced -> prediction received by a consumer. */
  endToEnd: { p50: number; p99: number; max: number };
  /** The service's own latency_ms field: features_time -> predicted_time. */
  service: { p50: number; p99: number };
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * Feature vectors at a steady rate into a unique-prefix features.v1, the built inference service
 * (services/inference/dist) scoring them, a consumer reading predictions.v1. The first `warmup`
 * vectors are left out of the percentiles.
 */
export async function benchKafkaLatency(
  vectors: readonly FeatureVector[],
  opts: { perTick: number; tickMs: number; warmup: number },
): Promise<LatencyResult> {
  if (!existsSync(path.join(ROOT, 'services/inference/dist/main.js')))
    throw new Error('build first: npx tsc -b');
  const bed = await kafkaTestbed('bench-inference');
  const db = await scratchDatabase('inference');
  const producer = await typedProducer(bed);
  const service = await startService('inference', {
    TOPIC_PREFIX: bed.prefix,
    REDIS_KEY_PREFIX: bed.prefix,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'error',
  });
  const consumer = bed.kafka.consumer({ groupId: `${bed.prefix}bench-reader`, maxWaitTimeInMs: 5 });
  const sentAt = new Map<string, number>();
  const received: { prediction: Prediction; at: number }[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: bed.names.of('predictions'), fromBeginning: true });
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = Date.now();
        received.push({ prediction: await bed.codec.decode('predictions', message.value), at });
        if (received.length >= vectors.length) done();
      },
    });
    for (let i = 0; i < vectors.length; i += opts.perTick) {
      const tick = performance.now();
      const now = Date.now();
      const batch = vectors.slice(i, i + opts.perTick).map((v) => ({ ...v, computed_time: now }));
      for (const v of batch) sentAt.set(`${v.symbol}@${v.bar_time}`, now);
      await producer.send(
        'features',
        batch.map((v) => ({ key: v.symbol, value: v })),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, opts.tickMs - (performance.now() - tick))));
    }
    await Promise.race([
      all,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`${received.length}/${vectors.length} predictions after 60 s`)),
          60_000,
        ),
      ),
    ]);
  } finally {
    await consumer.disconnect();
    await service.stop();
    await producer.disconnect();
    await bed.close();
    await db.drop();
  }
  const measured = received
    .filter((r) => sentAt.has(`${r.prediction.symbol}@${r.prediction.bar_time}`))
    .slice(opts.warmup);
  const e2e = measured
    .map((r) => r.at - sentAt.get(`${r.prediction.symbol}@${r.prediction.bar_time}`)!)
    .sort((a, b) => a - b);
  const own = measured.map((r) => r.prediction.latency_ms).sort((a, b) => a - b);
  return {
    vectors: measured.length,
    endToEnd: { p50: percentile(e2e, 50), p99: percentile(e2e, 99), max: e2e.at(-1) ?? NaN },
    service: { p50: percentile(own, 50), p99: percentile(own, 99) },
  };
}
