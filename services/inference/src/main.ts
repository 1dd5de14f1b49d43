import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { SYMBOL_PATTERN } from '@tickstream/contracts';
import {
  TypedConsumer,
  TypedProducer,
  answerHealth,
  bootService,
  databaseCheck,
  redisCheck,
  createDatabase,
  createRedis,
  migrate,
  offsetsSince,
  port,
  positiveInt,
  runMain,
} from '@tickstream/platform';
import express from 'express';
import { z } from 'zod';
import { PredictionCache } from './cache';
import { inferenceMetrics } from './metrics';
import { errorHandler, validationFailed } from './http-errors';
import { ModelHolder } from './model-holder';
import { ModelRegistry } from './registry';
import { invalidVector, toPrediction, toRows } from './scoring';

runMain('inference', async () => {
  const kit = await bootService('inference', {
    HTTP_PORT: port(9103),
    ML_CACHE_TTL: positiveInt(30),
    INFERENCE_BATCH_MAX: positiveInt(256),
    MODEL_POLL_MS: positiveInt(5000),
    MODEL_FILE: z.string().default(path.resolve(__dirname, '../../../models/default/model.onnx')),
  });
  const { config, log, life, kafka, admin, codec, names } = kit;
  const metrics = inferenceMetrics(kit.metrics);

  const db = createDatabase(config.DATABASE_URL, { max: 4 });
  life.onStop('database', () => db.destroy());
  await migrate(db);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  life.onStop('redis', () => void redis.disconnect());
  const cache = new PredictionCache(redis, config.ML_CACHE_TTL);

  const models = new ModelHolder({
    registry: new ModelRegistry(db),
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

  const producer = new TypedProducer(kafka, codec, names);
  await producer.connect();
  life.onStop('producer', () => producer.disconnect());

  async function score(vectors: FeatureVector[]): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (let i = 0; i < vectors.length; i += config.INFERENCE_BATCH_MAX) {
      const chunk = vectors.slice(i, i + config.INFERENCE_BATCH_MAX);
      const t0 = process.hrtime.bigint();
      const { model, probUp } = await models.score(toRows(chunk), chunk.length);
      metrics.batchSeconds.observe(Number(process.hrtime.bigint() - t0) / 1e9);
      metrics.batchSize.observe(chunk.length);
      const now = Date.now();
      chunk.forEach((v, j) => out.push(toPrediction(v, probUp[j]!, model, now)));
    }
    return out;
  }

  const consumer = new TypedConsumer({
    kafka,
    codec,
    names,
    groupId: 'inference',
    topics: ['features'],
    deadLetters: producer.producer,
    log,
  });
  await consumer.start(async (records, ctx) => {
    if (!models.current) throw Object.assign(new Error('no model to score with yet'), { retriable: true });
    const valid: FeatureVector[] = [];
    for (const r of records) {
      const reason = invalidVector(r.value);
      if (reason) await ctx.deadLetter(r, { code: 'INVALID_FEATURES', message: reason });
      else valid.push(r.value);
    }
    const predictions = await score(valid);
    await producer.send(
      'predictions',
      predictions.map((p) => ({ key: p.symbol, value: p })),
    );
    metrics.scored.inc(predictions.length);
    for (const p of predictions) metrics.featureToPrediction.observe(p.latency_ms / 1000);
    await cache.put(predictions).catch((err: unknown) => log.warn({ err }, 'prediction cache unavailable'));
  });
  life.onStop('consumer', () => consumer.stop());

  // Latest features of every symbol (all partitions), to answer /predict on a cache miss.
  const latest = new Map<string, FeatureVector>();
  const latestReader = new TypedConsumer({
    kafka,
    codec,
    names,
    groupId: `inference-latest-${randomUUID()}`,
    topics: ['featuresLatest'],
    deadLetters: producer.producer,
    log,
    fromBeginning: true,
    startAt: async (_id, topic) => offsetsSince(admin, topic, 0),
  });
  await latestReader.start(async (records) => {
    for (const r of records) latest.set(r.value.symbol, r.value);
  });
  life.onStop('latest features reader', () => latestReader.stop());

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '8kb' }));
  const predictBody = z.object({
    symbols: z
      .array(
        z
          .string()
          .transform((s) => s.trim().toUpperCase())
          .pipe(z.string().regex(SYMBOL_PATTERN)),
      )
      .min(1)
      .max(50),
  });
  app.post('/predict', (req, res, next) => {
    const parsed = predictBody.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json(validationFailed('send {"symbols": ["AAPL", ...]} with 1 to 50 ticker symbols', parsed.error));
      return;
    }
    (async () => {
      const symbols = [...new Set(parsed.data.symbols)];
      const cached = await cache.get(symbols).catch(() => new Map<string, Prediction>());
      const missing = symbols.filter((s) => !cached.has(s));
      const known = missing
        .map((s) => latest.get(s))
        .filter((v): v is FeatureVector => v !== undefined && !invalidVector(v));
      const fresh = known.length > 0 && models.current ? await score(known) : [];
      await cache.put(fresh).catch(() => undefined);
      metrics.cache.inc({ result: 'hit' }, cached.size);
      metrics.cache.inc({ result: 'miss_scored' }, fresh.length);
      metrics.cache.inc({ result: 'miss_unknown' }, missing.length - fresh.length);
      const bySymbol = new Map([...cached, ...fresh.map((p) => [p.symbol, p] as const)]);
      res.json({
        predictions: symbols
          .filter((s) => bySymbol.has(s))
          .map((s) => ({ ...bySymbol.get(s)!, cached: cached.has(s) })),
        unknown: symbols.filter((s) => !bySymbol.has(s)),
        model_version: models.current?.version ?? null,
      });
    })().catch(next);
  });
  app.use(errorHandler(log));

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
  const server = http.createServer((req, res) => {
    answerHealth(healthOpts, req, res)
      .then((handled) => {
        if (!handled) app(req, res);
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(config.HTTP_PORT, config.HEALTH_HOST, resolve));
  life.onStop('http server', () => new Promise<void>((r) => server.close(() => r())));
  life.running();
  log.info({ port: config.HTTP_PORT, model: models.current?.version ?? null }, 'inference running');
});
