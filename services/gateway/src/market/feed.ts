import type { Admin, Kafka, Producer } from 'kafkajs';
import type { AnyInRecord, AvroCodec, Logger, TopicNames } from '@tickstream/platform';
import { TypedConsumer, offsetsSince } from '@tickstream/platform';
import type { MarketBroadcaster } from './broadcaster';
import type { FeedPositions, PartitionEnd } from './readiness';

const FEED_TOPICS = ['quotes', 'trades', 'bars', 'featuresLatest', 'predictions', 'orderEvents'] as const;
type FeedTopic = (typeof FEED_TOPICS)[number];

/**
 * Each gateway replica reads the market, feature, prediction and order-event topics in full
 * (its own consumer group), because any user may be connected to it. On start it rewinds by
 * time so the snapshots are warm: bars over `barHistoryMs`, quotes over the last minute,
 * predictions over the last hour; features come from the compacted features.latest.v1; order
 * events only from now on (history is served by REST). Where it starts and what it has read
 * go to `positions`, which tells readiness when the feed is live.
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
  positions: FeedPositions;
}): MarketFeed {
  const since: Partial<Record<FeedTopic, number>> = {
    bars: deps.barHistoryMs,
    quotes: 60_000,
    trades: 60_000,
    predictions: 3_600_000,
  };
  return new TypedConsumer<FeedTopic>({
    kafka: deps.kafka,
    codec: deps.codec,
    names: deps.names,
    groupId: `gateway-${deps.replicaId}`,
    topics: FEED_TOPICS,
    deadLetters: deps.deadLetters,
    log: deps.log,
    fromBeginning: false,
    hooks: {
      onBatch: (topic, partition, _count, _high, lastOffset) =>
        deps.positions.consumed(topic, partition, lastOffset),
    },
    startAt: async (id, topic) => {
      // Order events from now on: placed at the end, so readiness knows where they start.
      const window = id === 'featuresLatest' ? Date.now() : (since[id] ?? 0);
      const starts = await offsetsSince(deps.admin, topic, Date.now() - window);
      for (const s of starts) deps.positions.placed(topic, s.partition, s.offset);
      return starts;
    },
  });
}

/** The end offsets of every partition the feed reads (for readiness rounds). */
export async function feedEnds(admin: Admin, names: TopicNames): Promise<PartitionEnd[]> {
  const ends: PartitionEnd[] = [];
  for (const id of FEED_TOPICS) {
    const topic = names.of(id);
    for (const p of await admin.fetchTopicOffsets(topic))
      ends.push({ topic, partition: p.partition, high: p.high });
  }
  return ends;
}

/**
 * The feed's consumer; `caughtUp` resolves once the rewound history has been read (false on
 * timeout), so a restarted replica does not answer subscribes with empty snapshots.
 */
export type MarketFeed = TypedConsumer<FeedTopic>;

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
