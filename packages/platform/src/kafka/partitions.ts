import type { PartitionMetadata } from 'kafkajs';
import { Partitioners } from 'kafkajs';

/** What KafkaJS's partitioners are given of a topic with `partitions` partitions: the count is all the default one reads. */
export function partitionMetadataOf(partitions: number): PartitionMetadata[] {
  return Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
    partitionErrorCode: 0,
  }));
}

// A keyed message's partition is a pure function of its key (murmur2): one instance serves all.
const keyed = Partitioners.DefaultPartitioner();

/** The partition KafkaJS's default partitioner (every platform producer's) picks for `key`. */
export function partitionOfKey(topic: string, key: string, partitions: number): number {
  return keyed({ topic, partitionMetadata: partitionMetadataOf(partitions), message: { key, value: null } });
}
