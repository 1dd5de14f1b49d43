import type { Admin } from 'kafkajs';
import type { TopicValues } from '@tickstream/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type CleanupPolicy = 'delete' | 'compact';

export interface TopicSpec {
  /** Stable logical name; the real name is TOPIC_PREFIX + name. */
  readonly name: string;
  readonly partitions: number;
  readonly cleanupPolicy: CleanupPolicy;
  /** retention.ms for delete topics; undefined (infinite) for compacted ones. */
  readonly retentionMs?: number;
  /** Avro schema file in schemas/ for the value; undefined for raw topics (dead letters). */
  readonly valueSchema?: keyof TopicValues;
  /** What the record key is, for docs and the generated Strimzi resources. */
  readonly key: string;
  /** Extra topic configs, e.g. to make compaction prompt. */
  readonly configs?: Readonly<Record<string, string>>;
}

const COMPACTION = {
  'min.cleanable.dirty.ratio': '0.1',
  'segment.ms': String(HOUR),
  'delete.retention.ms': String(DAY),
};

/**
 * Every topic of the platform, declared once. Provisioning, the Avro registration, the docs in
 * schemas/README.md and the Kubernetes KafkaTopic resources all derive from this list.
 */
export const TOPICS = {
  trades: {
    name: 'md.trades.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: DAY,
    valueSchema: 'md.trades.v1',
    key: 'symbol',
  },
  quotes: {
    name: 'md.quotes.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: DAY,
    valueSchema: 'md.quotes.v1',
    key: 'symbol',
  },
  bars: {
    name: 'md.bars.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY,
    valueSchema: 'md.bars.v1',
    key: 'symbol',
  },
  features: {
    name: 'features.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY,
    valueSchema: 'features.v1',
    key: 'symbol',
  },
  featuresLatest: {
    name: 'features.latest.v1',
    partitions: 6,
    cleanupPolicy: 'compact',
    valueSchema: 'features.latest.v1',
    key: 'symbol',
    configs: COMPACTION,
  },
  predictions: {
    name: 'predictions.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY,
    valueSchema: 'predictions.v1',
    key: 'symbol',
  },
  orderCommands: {
    name: 'orders.commands.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY,
    valueSchema: 'orders.commands.v1',
    key: 'account id',
  },
  orderEvents: {
    name: 'orders.events.v1',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY,
    valueSchema: 'orders.events.v1',
    key: 'account id',
  },
  controlSymbols: {
    name: 'control.symbols.v1',
    partitions: 1,
    cleanupPolicy: 'compact',
    valueSchema: 'control.symbols.v1',
    key: 'symbol',
    configs: COMPACTION,
  },
  /** Internal changelog of the features service's per-symbol state (JSON); not for consumers. */
  featuresState: {
    name: 'features.state.v1',
    partitions: 6,
    cleanupPolicy: 'compact',
    key: 'symbol',
    configs: COMPACTION,
  },
  deadLetters: {
    name: 'dlq.v1',
    partitions: 1,
    cleanupPolicy: 'delete',
    retentionMs: 14 * DAY,
    key: 'the original key',
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicId = keyof typeof TOPICS;
export type AvroTopicId = {
  [K in TopicId]: (typeof TOPICS)[K] extends { valueSchema: string } ? K : never;
}[TopicId];
export type ValueOf<T extends AvroTopicId> = TopicValues[(typeof TOPICS)[T]['valueSchema']];

/** The topic configs Kafka should hold for a spec (also used to check for drift). */
export function topicConfigs(spec: TopicSpec): Record<string, string> {
  const configs: Record<string, string> = { 'cleanup.policy': spec.cleanupPolicy, ...(spec.configs ?? {}) };
  if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
  return configs;
}

/** Resolves logical topic names against a prefix. */
export class TopicNames {
  constructor(readonly prefix = '') {}

  of(id: TopicId): string {
    return this.prefix + TOPICS[id].name;
  }

  group(name: string): string {
    return this.prefix + name;
  }
}

/**
 * Start positions for reading `topic` from `sinceMs` on (by record timestamp), per partition; a
 * partition with nothing that recent starts at its end. `high` is the partition's end offset at
 * the time of the call, for readers that need to know when they have caught up.
 */
export async function offsetsSince(
  admin: Admin,
  topic: string,
  sinceMs: number,
): Promise<{ partition: number; offset: string; high: string }[]> {
  const byTime = await retryWhileUnserved(() => admin.fetchTopicOffsetsByTimestamp(topic, sinceMs));
  const ends = await retryWhileUnserved(() => admin.fetchTopicOffsets(topic));
  return byTime.map((p) => {
    const high = ends.find((e) => e.partition === p.partition)?.high ?? '0';
    return { partition: p.partition, offset: p.offset === '-1' ? high : p.offset, high };
  });
}

/** Retries a metadata read while a just-created topic is not yet served by its leaders. */
async function retryWhileUnserved<T>(read: () => Promise<T>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (
        !/does not host this topic-partition|not the leader|leader not available/i.test(
          (err as Error).message,
        ) ||
        Date.now() > deadline
      )
        throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
