import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  TOPICS,
  TypedConsumer,
  consumerContext,
  closeOnStop,
  connectProducer,
  port,
  runService,
  startHealthServer,
} from '@tickstream/platform';
import { StateChangelog } from './changelog';
import { createBarsHandler } from './handler';
import { featureMetrics } from './metrics';
import { FeatureProcessor } from './processor';
import { RestoreAfterRebalance } from './restore';

const FEATURES_CONFIG = {
  HEALTH_PORT: port(9102),
  // json only while replicas of a release before the binary layout still run (docs/RUNBOOK.md).
  FEATURES_STATE_ENCODING: z.enum(['binary', 'json']).default('binary'),
};

runService('features', FEATURES_CONFIG, async (kit) => {
  const { config, log, life, kafka, admin, names } = kit;
  const metrics = featureMetrics(kit.metrics);
  // Live (/healthz) from here; ready (/readyz) once the group has taken this member in, which
  // right after a crash waits for the dead member's Kafka session to expire.
  const health = await startHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    lifecycle: life,
    metrics: kit.metrics,
    checks: { kafka: kit.kafkaReady },
  });
  closeOnStop(life, 'health server', health);

  const producer = await connectProducer(kit);
  // The vectors have a producer of their own: a producer sends one request at a time, and on a
  // shared one a partition's vectors waited behind another partition's latest vectors or engine
  // state (~0.3 MB at a 250-symbol bar boundary).
  const trailingProducer = await connectProducer(kit, 'trailing producer');

  const changelog = new StateChangelog({
    kafka,
    admin,
    topic: names.of('featuresState'),
    instanceId: randomUUID(),
    log,
  });
  await changelog.start();
  life.onStop('changelog', () => changelog.stop());

  const processor = new FeatureProcessor(
    (symbol) => changelog.get(symbol),
    (symbol, err) => {
      metrics.unusableState.inc();
      log.warn({ symbol, err }, 'saved feature state not usable; the symbol warms up afresh');
    },
    config.FEATURES_STATE_ENCODING,
  );
  // Partitions may have moved: forget engines and resume each from its last committed state.
  const restore = new RestoreAfterRebalance(async () => {
    processor.reset();
    await changelog.catchUp();
  });
  const consumer = new TypedConsumer({
    ...consumerContext(kit),
    groupId: 'features',
    topics: ['bars'],
    deadLetters: producer.producer,
    // A bar boundary brings every symbol's bar at once: one partition at a time, the last waited
    // for every other partition's produce round trip before its vectors were even computed. A
    // symbol's bars are in one partition, so its engine sees them in order either way.
    partitionsConsumedConcurrently: TOPICS.bars.partitions,
  });
  consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => restore.rebalanced());

  const handleBars = createBarsHandler({ processor, producer, trailingProducer, changelog, metrics });
  await consumer.start(async (records, ctx) => {
    if (ctx.decodeSeconds !== undefined) metrics.batchStep.observe({ step: 'decode' }, ctx.decodeSeconds);
    await restore.ready();
    await handleBars(records.map((r) => r.value));
  });
  life.onStop('consumer', () => consumer.stop());

  life.running();
  log.info({ port: config.HEALTH_PORT }, 'features service running');
});
