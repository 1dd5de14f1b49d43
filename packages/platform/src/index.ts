export {
  loadConfig,
  commonEnv,
  kafkaAuthEnv,
  brokerList,
  commaList,
  port,
  positiveInt,
  url,
  masterKey,
  secret,
  bool,
  symbolList,
  DEFAULT_SYMBOLS,
} from './config';
export { MIN_SECRET_BYTES, assertUsableSecret, isPublishedSecret, secretProblem } from './secrets';
export { TickstreamError, ConfigError, DecodeError, isRetryable } from './errors';
export { createLogger } from './logger';
export type { Logger } from './logger';
export { Lifecycle, exitOnSignals, runCli, runMain } from './lifecycle';
export type { LifecycleState } from './lifecycle';
export { createMetricsRegistry, declareMetrics, prom } from './metrics';
export type { MetricDeclarations } from './metrics';
export { READINESS_CHECK_TIMEOUT_MS, answerHealth } from './http/health';
export { createAppServer, listenHttp, startHealthServer } from './http/server';
export { requireServiceToken } from './http/service-token';
export type { HealthOptions, ReadinessCheck } from './http/health';
export * from './kafka';
export { createDatabase, ensureDatabase, migrate } from './db';
export type { MigrationSet } from './db';
export { createRedis } from './redis';
export * from './crypto';
export type { Redis } from './redis';
export { bootService, cachedCheck, databaseCheck, redisCheck, runService } from './service';
export { closeOnStop, connectProducer, openDatabase } from './service-resources';
export type { CachedCheckTimes } from './service';
export type { ServiceKit } from './service';
export {
  contextFromHeaders,
  inNewTrace,
  inSpan,
  shutdownTelemetry,
  startTelemetry,
  telemetrySettings,
  tracedProcess,
  tracedSend,
} from './telemetry';
export type { TelemetryState } from './telemetry';
