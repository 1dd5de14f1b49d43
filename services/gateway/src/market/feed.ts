import type { Admin, Kafka, Producer } from 'kafkajs';
import type { AnyInRecord, AvroCodec, Logger, TopicNames } from '@tickstream/platform';
import { TypedConsumer, offsetsSince } from '@tickstream/platform';
import type { MarketBroadcaster } from './broadcaster';

const FEED_TOPICS = ['quotes', 'trades', 'bars', 'featuresLatest', 'predictions', 'orderEvents'] as const;
type FeedTopic = (typeof FEED_TOPICS)[number];

/**
 * Each gateway replica reads the market, feature, prediction and order-event topics in full
 * (its own consumer group), because any user may be connected to it. On start it rewinds by
 * time so the snapshots are warm: bars over `barHistoryMs`, quotes over the last minute,
 * predictions over the last hour; features come from the compacted features.latest.v1; order
 * events only from now on (history is served by REST).
 */
export function createMarketFeed(deps: {
  kafka: Kafka;
  admin: Admin;
  codec: AvroCodec;
  names: TopicNames;
  deadLetters: Producer;
  log: Logger;
  replicaId: string;
  barHistoryMs: number;
  broadcaster: MarketBroadcaster;
}): MarketFeed {
  const since: Partial<Record<FeedTopic, number>> = {
    bars: deps.barHistoryMs,
    quotes: 60_000,
    trades: 60_000,
    predictions: 3_600_000,
  };
  // Partitions still to be read up to where they ended at start ("topic:partition" -> last offset).
  const behind = new Map<string, bigint>();
  let caughtUp: (() => void) | undefined;
  const consumer = new TypedConsumer<FeedTopic>({
    kafka: deps.kafka,
    codec: deps.codec,
    names: deps.names,
    groupId: `gateway-${deps.replicaId}`,
    topics: FEED_TOPICS,
    deadLetters: deps.deadLetters,
    log: deps.log,
    fromBeginning: false,
    hooks: {
      onBatch: (topic, partition, _count, _high, lastOffset) => {
        const key = `${topic}:${partition}`;
        const target = behind.get(key);
        if (target !== undefined && BigInt(lastOffset) >= target) behind.delete(key);
        if (behind.size === 0) caughtUp?.();
      },
    },
    startAt: async (id, topic) => {
      const window = id === 'featuresLatest' ? Date.now() : since[id];
      if (window === undefined) return undefined;
      const positions = await offsetsSince(deps.admin, topic, Date.now() - window);
      const ends = await deps.admin.fetchTopicOffsets(topic);
      for (const p of positions) {
        const high = BigInt(ends.find((e) => e.partition === p.partition)?.high ?? '0');
        if (BigInt(p.offset) < high) behind.set(`${topic}:${p.partition}`, high - 1n);
      }
      return positions;
    },
  });
  return Object.assign(consumer, {
    warmedUp(timeoutMs: number): Promise<boolean> {
      if (behind.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        caughtUp = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
  });
}

/**
 * The feed's consumer; `warmedUp` resolves once the rewound history has been read (false on
 * timeout), so a restarted replica does not answer subscribes with empty snapshots.
 */
export type MarketFeed = TypedConsumer<FeedTopic> & { warmedUp(timeoutMs: number): Promise<boolean> };

export function dispatch(b: MarketBroadcaster, records: AnyInRecord[]): void {
  for (const r of records) {
    switch (r.topicId) {
      case 'quotes':
        b.quote(r.value);
        break;
      case 'trades':
        b.trade(r.value);
        break;
      case 'bars':
        b.bar(r.value);
        break;
      case 'featuresLatest':
        b.features(r.value);
        break;
      case 'predictions':
        b.prediction(r.value);
        break;
      case 'orderEvents':
        b.orderEvent(r.value);
        break;
      default:
        break;
    }
  }
}
