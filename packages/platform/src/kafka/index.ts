// A module re-exported whole (`export *`) has nothing internal; the lists name the public part
// of those that do.
export { createKafka, explainKafkaAuthError, kafkaConnection } from './client';
export type { KafkaAuthSettings, KafkaConnection } from './client';
export * from './codec';
export * from './consumer';
export { LATENCY_BUCKETS, STEP_BUCKETS, bindKafkaMetrics } from './instruments';
export type { KafkaInstruments } from './instruments';
export * from './producer';
export * from './reliable-producer';
export * from './partitions';
export * from './provision';
export * from './acls';
export * from './topics';
export * from './catch-up';
