import { randomUUID } from 'node:crypto';
import type { FeatureVector, Prediction } from '@tickstream/contracts';
import {
  TypedConsumer,
  consumerContext,
  closeOnStop,
  connectProducer,
  createAppServer,
  databaseCheck,
  redisCheck,
  createRedis,
  listenHttp,
  offsetsSince,
  openDatabase,
  runService,
} from '@tickstream/platform';
import { PredictionCache } from './cache';
import { inferenceEnv } from './config';
import { inferenceMetrics } from './metrics';
import { INFERENCE_MIGRATIONS } from './db';
import { createInferenceApp, modelRecords } from './http';
import { ModelHolder } from './model-holder';
import { ModelRegistry } from './registry';
import { createScorer, handleFeatures } from './scoring';

runService('inference', inferenceEnv, async (kit) => {
  const { config, log, life, admin } = kit;
  const metrics = inferenceMetrics(kit.metrics);

  const db = await openDatabase(life, config.DATABASE_URL, INFERENCE_MIGRATIONS, { max: 4 });
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  life.onStop('redis', () => void redis.disconnect());
  const cache = new PredictionCache(redis, config.ML_CACHE_TTL);

  const registry = new ModelRegistry(db);
  const models = new ModelHolder({
    registry,
    fallbackFile: config.MODEL_FILE,
    log,
    onSwap: (version) => {
      metrics.modelInfo.reset();
      metrics.modelInfo.set({ version }, 1);
    },
  });
  await models.refresh();
  const poll = setInterval(
    () => void models.refresh().catch((err: unknown) => log.warn({ err }, 'model registry poll failed')),
    config.MODEL_POLL_MS,
  );
  life.onStop('model poll', () => clearInterval(poll));

  const producer = await connectProducer(kit);

  const score = createScorer({ models, batchMax: config.INFERENCE_BATCH_MAX, metrics });
  const publish = async (predictions: Prediction[]) => {
    await producer.send(
      'predictions',
      predictions.map((p) => ({ key: p.symbol, value: p })),
    );
  };

  // Latest features of every symbol (all partitions), to answer /predict on a cache miss.
  const latest = new Map<string, FeatureVector>();

  // Live (/healthz) and answering /predict and the internal API from here; ready (/readyz) once
  // the `inference` group has taken this member in, which right after a crash waits for the dead
  // member's Kafka session to expire.
  const app = createInferenceApp({
    models,
    score,
    cache,
    latest: (s) => latest.get(s),
    metrics,
    records: modelRecords(registry, config.MODEL_FILE),
    serviceToken: config.INFERENCE_SERVICE_TOKEN,
    log,
  });

  const redisReady = redisCheck(redis);
  const dbReady = databaseCheck(db);
  const healthOpts = {
    lifecycle: life,
    metrics: kit.metrics,
    checks: {
      kafka: kit.kafkaReady,
      postgres: dbReady,
      redis: redisReady,
      model: () => models.current !== undefined,
    },
  };
  const server = createAppServer(healthOpts, app);
  await listenHttp(server, config.HTTP_PORT, config.HEALTH_HOST);
  closeOnStop(life, 'http server', server);

  const consumer = new TypedConsumer({
    ...consumerContext(kit),
    groupId: 'inference',
    topics: ['features'],
    deadLetters: producer.producer,
    partitionsConsumedConcurrently: config.INFERENCE_CONCURRENT_PARTITIONS,
  });
  await consumer.start((records, ctx) => {
    if (ctx.decodeSeconds !== undefined) metrics.batchStep.observe({ step: 'decode' }, ctx.decodeSeconds);
    return handleFeatures(records, {
      models,
      score,
      publish,
      cache,
      metrics,
      log,
      deadLetter: ctx.deadLetter,
    });
  });
  life.onStop('consumer', () => consumer.stop());

  const latestReader = new TypedConsumer({
    ...consumerContext(kit),
    groupId: `inference-latest-${randomUUID()}`,
    topics: ['featuresLatest'],
    deadLetters: producer.producer,
    fromBeginning: true,
    startAt: async (_id, topic) => offsetsSince(admin, topic, 0),
  });
  await latestReader.start(async (records) => {
    for (const r of records) latest.set(r.value.symbol, r.value);
  });
  life.onStop('latest features reader', () => latestReader.stop());

  life.running();
  log.info({ port: config.HTTP_PORT, model: models.current?.version ?? null }, 'inference running');
});
