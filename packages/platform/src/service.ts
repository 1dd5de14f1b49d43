import type { Redis } from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { commonEnv, loadConfig } from './config';
import { AvroCodec } from './kafka/codec';
import type { KafkaAuthSettings } from './kafka/client';
import { createKafka, explainKafkaAuthError, kafkaConnection } from './kafka/client';
import { bindKafkaMetrics } from './kafka/instruments';
import { TopicNames } from './kafka/topics';
import { Lifecycle, exitOnSignals, runMain } from './lifecycle';
import type { Logger } from './logger';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { shutdownTelemetry, startTelemetry } from './telemetry';

type CommonShape = typeof commonEnv;

export interface ServiceKit<S extends z.ZodRawShape> {
  name: string;
  config: Readonly<z.infer<z.ZodObject<CommonShape & S>>>;
  log: Logger;
  life: Lifecycle;
  metrics: Registry;
  kafka: Kafka;
  admin: Admin;
  names: TopicNames;
  codec: AvroCodec;
  /** Readiness check: the Kafka cluster answered a metadata request recently. */
  kafkaReady: () => Promise<boolean>;
}

/**
 * What every service does first: start tracing (a no-op when the preload did), validate config
 * (common settings plus the service's own), create the logger, lifecycle with signal handling,
 * metrics, the Kafka client (its typed consumers and producers record into those metrics) and
 * admin, and register the Avro schemas. Throws (and `runMain` exits non-zero) on a bad setting or an
 * incompatible schema.
 *
 * @example
 *   const kit = await bootService('ingest', { HEALTH_PORT: port(9101) });
 */
export async function bootService<S extends z.ZodRawShape>(
  name: string,
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceKit<S>> {
  // Normally already started by the --require preload (see telemetry/register.ts); then a no-op.
  const telemetry = startTelemetry(name, env);
  const config = loadConfig({ ...commonEnv, ...shape } as CommonShape & S, env);
  const log = createLogger({ service: name, level: config.LOG_LEVEL as string });
  const life = new Lifecycle(log);
  exitOnSignals(life, log);
  // Registered first so it runs last: spans of the shutdown itself are flushed too.
  life.onStop('telemetry', () => shutdownTelemetry());
  log.info(
    telemetry.enabled ? { endpoint: telemetry.endpoint } : { reason: telemetry.reason },
    telemetry.enabled ? 'exporting traces' : 'tracing off',
  );
  const metrics = createMetricsRegistry(name);
  // The generic config type hides the common settings' types from the compiler.
  const auth = config as unknown as KafkaAuthSettings;
  const kafka = createKafka(
    { ...kafkaConnection(auth), clientId: `${config.KAFKA_CLIENT_ID as string}-${name}` },
    log,
  );
  bindKafkaMetrics(kafka, metrics);
  const names = new TopicNames(config.TOPIC_PREFIX as string);
  const admin = kafka.admin();
  // The first connection: a wrong password stops the start here, with the setting named.
  await admin.connect().catch((err: unknown) => {
    throw explainKafkaAuthError(err, auth);
  });
  life.onStop('kafka admin', () => admin.disconnect());
  const codec = new AvroCodec({ registryUrl: config.SCHEMA_REGISTRY_URL as string, topics: names });
  await codec.registerAll();
  return {
    name,
    config,
    log,
    life,
    metrics,
    kafka,
    admin,
    names,
    codec,
    // Under load a cluster's metadata answer can take longer than /readyz's budget; a pass from
    // the last 10 s holds meanwhile, so busy brokers do not take ready instances out of service.
    kafkaReady: cachedCheck(
      async () => {
        await admin.describeCluster();
        return true;
      },
      { staleMs: 10_000 },
    ),
  };
}

/**
 * A service's entry point: boots the kit (`bootService`) and runs `main` with it; a failure to
 * start prints the error and exits 1 (`runMain`).
 *
 * @example
 *   runService('ingest', ingestEnv, async ({ config, life }) => { ... life.running(); });
 */
export function runService<S extends z.ZodRawShape>(
  name: string,
  shape: S,
  main: (kit: ServiceKit<S>) => Promise<void>,
): void {
  runMain(name, async () => main(await bootService(name, shape)));
}

export interface CachedCheckTimes {
  /** How long an answer serves polls before the probe runs again. Default 2 s. */
  ttlMs?: number;
  /**
   * How long a passing answer still serves while a newer probe is slow to answer. Default 0 (a
   * poll after the ttl waits on the probe). For a dependency that is slow for a moment under load
   * (a cluster's metadata request taking longer than /readyz's budget), so that this does not
   * take the instance out of its Service; one that fails fails the next poll, one that hangs
   * fails once this has passed.
   */
  staleMs?: number;
}

/** Wraps a probe so frequent /readyz polls do not each hit the dependency. */
export function cachedCheck(
  probe: () => Promise<boolean>,
  { ttlMs = 2000, staleMs = 0 }: CachedCheckTimes = {},
): () => Promise<boolean> {
  let last = 0;
  let value = false;
  let inflight: Promise<boolean> | undefined;
  const refresh = () =>
    (inflight ??= probe()
      .catch(() => false)
      .then((v) => {
        value = v;
        last = Date.now();
        inflight = undefined;
        return v;
      }));
  return async () => {
    const age = Date.now() - last;
    if (age < ttlMs) return value;
    const answer = refresh();
    return value && age < staleMs ? value : answer;
  };
}

/** Readiness of PostgreSQL for /readyz: a cached `select 1`. */
export function databaseCheck(db: Knex): () => Promise<boolean> {
  return cachedCheck(async () => {
    await db.raw('select 1');
    return true;
  });
}

/** Readiness of Redis for /readyz: a cached PING. */
export function redisCheck(redis: Redis): () => Promise<boolean> {
  return cachedCheck(async () => (await redis.ping()) === 'PONG');
}
