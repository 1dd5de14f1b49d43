// A module re-exported whole (`export *`) has nothing internal; the lists name the public part
// of those that do.
export * from './config';
export * from './secrets';
export * from './errors';
export * from './logger';
export * from './lifecycle';
export * from './metrics';
export { READINESS_CHECK_TIMEOUT_MS, answerHealth } from './http/health';
export * from './http/server';
export * from './http/service-token';
export type { HealthOptions, ReadinessCheck } from './http/health';
export * from './kafka';
export * from './db';
export * from './redis';
export * from './crypto';
export * from './service';
export * from './service-resources';
export * from './telemetry';
