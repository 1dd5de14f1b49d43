import { randomUUID } from 'node:crypto';
import { TypedConsumer, TypedProducer, bootService, port, runMain, startHealthServer } from '@tickstream/platform';
import { StateChangelog } from './changelog';
import { featureMetrics } from './metrics';
import { FeatureProcessor } from './processor';

runMain('features', async () => {
  const kit = await bootService('features', { HEALTH_PORT: port(9102) });
  const { config, log, life, kafka, admin, codec, names } = kit;
  const metrics = featureMetrics(kit.metrics);

  const producer = new TypedProducer(kafka, codec, names);
  await producer.connect();
  life.onStop('producer', () => producer.disconnect());

  const changelog = new StateChangelog({ kafka, admin, producer: producer.producer, topic: names.of('featuresState'), instanceId: randomUUID(), log });
  await changelog.start();
  life.onStop('changelog', () => changelog.stop());

  const processor = new FeatureProcessor((symbol) => changelog.get(symbol));
  let rebalanced = false;
  const consumer = new TypedConsumer({
    kafka,
    codec,
    names,
    groupId: 'features',
    topics: ['bars'],
    deadLetters: producer.producer,
    log,
    hooks: {
      onDeadLetter: (reason, topic) => metrics.deadLetters.inc({ topic, code: reason.code }),
      onBatch: (topic, partition, _count, high, last) => metrics.lag.set({ topic, partition }, Math.max(0, Number(high) - Number(last) - 1)),
    },
  });
  consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => {
    rebalanced = true;
  });

  await consumer.start(async (records) => {
    if (rebalanced) {
      // Partitions may have moved: forget engines and resume each from its last committed state.
      rebalanced = false;
      processor.reset();
      await changelog.catchUp();
    }
    const outcome = processor.process(records.map((r) => r.value), Date.now());
    // Vectors and state are written before the offsets are committed (at-least-once); a bar
    // delivered again after a crash is a duplicate to the restored engine.
    await producer.send('features', outcome.vectors.map((v) => ({ key: v.symbol, value: v })));
    await producer.send('featuresLatest', outcome.vectors.map((v) => ({ key: v.symbol, value: v })));
    await changelog.write(outcome.snapshots);
    for (const [outcomeKind, n] of Object.entries(outcome.counts)) if (n > 0 && outcomeKind !== 'corrected') metrics.bars.inc({ outcome: outcomeKind }, n);
    metrics.corrected.inc(outcome.counts.corrected);
    metrics.vectors.inc(outcome.vectors.length);
    const now = Date.now();
    for (const v of outcome.vectors) metrics.barToFeatures.observe((now - v.bar_ingest_time) / 1000);
  });
  life.onStop('consumer', () => consumer.stop());

  const health = await startHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    lifecycle: life,
    metrics: kit.metrics,
    checks: { kafka: kit.kafkaReady },
  });
  life.onStop('health server', () => new Promise<void>((r) => health.close(() => r())));
  life.running();
  log.info({ port: config.HEALTH_PORT }, 'features service running');
});
