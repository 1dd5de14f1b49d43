export { createKafka, explainKafkaAuthError, kafkaConnection } from './client';
export type { KafkaAuthSettings, KafkaConnection } from './client';
export { AvroCodec, avroTopicIds, defaultSchemasDir } from './codec';
export { TypedConsumer, DLQ_HEADERS } from './consumer';
export type {
  AnyInRecord,
  RecordOf,
  BatchContext,
  ConsumerHooks,
  DeadLetterReason,
  InRecord,
} from './consumer';
export { LATENCY_BUCKETS, STEP_BUCKETS, bindKafkaMetrics } from './instruments';
export type { KafkaInstruments } from './instruments';
export { TypedProducer } from './producer';
export { createReliableProducer } from './reliable-producer';
export { partitionMetadataOf, partitionOfKey } from './partitions';
export type { OutRecord } from './producer';
export { createTopicsServed, provisionTopics } from './provision';
export { PRINCIPALS, aclRules, deprovisionAcls, provisionAcls } from './acls';
export type { AclOperation, AclRule, GroupSpec, PrincipalId, PrincipalSpec } from './acls';
export type { ProvisionReport } from './provision';
export { TOPICS, TopicNames, topicConfigs, offsetsSince } from './topics';
export type { AvroTopicId, CleanupPolicy, TopicId, TopicSpec, ValueOf } from './topics';
export { CatchUp } from './catch-up';
