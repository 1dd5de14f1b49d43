import { randomUUID } from 'node:crypto';
import {
  TypedConsumer,
  TypedProducer,
  bootService,
  port,
  runMain,
  startHealthServer,
} from '@tickstream/platform';
import { StateChangelog } from './changelog';
import { createBarsHandler } from './handler';
import { featureMetrics } from './metrics';
import { FeatureProcessor } from './processor';

runMain('features', async () => {
  const kit = await bootService('features', { HEALTH_PORT: port(9102) });
  const { config, log, life, kafka, admin, codec, names } = kit;
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
  life.onStop('health server', () => new Promise<void>((r) => health.close(() => r())));

  const producer = new TypedProducer(kafka, codec, names);
  await producer.connect();
  life.onStop('producer', () => producer.disconnect());

  const changelog = new StateChangelog({
    kafka,
    admin,
    topic: names.of('featuresState'),
    instanceId: randomUUID(),
    log,
  });
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
  });
  consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => {
    rebalanced = true;
  });

  const handleBars = createBarsHandler({ processor, producer, changelog, metrics });
  await consumer.start(async (records) => {
    if (rebalanced) {
      // Partitions may have moved: forget engines and resume each from its last committed state.
      rebalanced = false;
      processor.reset();
      await changelog.catchUp();
    }
    await handleBars(records.map((r) => r.value));
  });
  life.onStop('consumer', () => consumer.stop());

  life.running();
  log.info({ port: config.HEALTH_PORT }, 'features service running');
});
