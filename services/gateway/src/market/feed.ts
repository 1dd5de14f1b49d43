import type { Admin, Kafka, Producer } from 'kafkajs';
import type { AnyInRecord, AvroCodec, Logger, TopicNames } from '@tickstream/platform';
import { TypedConsumer, offsetsSince } from '@tickstream/platform';
import type { MarketBroadcaster } from './broadcaster';
import type { FeedPositions, PartitionEnd } from './readiness';

const MARKET_TOPICS = ['quotes', 'trades', 'bars', 'featuresLatest', 'predictions'] as const;
type MarketTopic = (typeof MARKET_TOPICS)[number];
/** Every topic the gateway's feeds read (readiness waits until each is read to its end). */
const FEED_TOPICS = [...MARKET_TOPICS, 'orderEvents'] as const;
type FeedTopic = (typeof FEED_TOPICS)[number];

interface FeedDeps {
  kafka: Kafka;
  admin: Admin;
  codec: AvroCodec;
  names: TopicNames;
  deadLetters: Producer;
  log: Logger;
  replicaId: string;
  positions: FeedPositions;
}

/**
 * A reader of `topics` in the replica's own group `gateway-<label><replica>`, each topic from the
 * records written at or after `startTime(id)` (epoch ms).
 */
function feedConsumer<T extends FeedTopic>(
  deps: FeedDeps,
  label: string,
  topics: readonly T[],
  startTime: (id: T) => number,
  fetch: { minBytes?: number; maxWaitTimeInMs?: number } = {},
): TypedConsumer<T> {
  return new TypedConsumer<T>({
    kafka: deps.kafka,
    codec: deps.codec,
    names: deps.names,
    groupId: `gateway-${label}${deps.replicaId}`,
    topics,
    deadLetters: deps.deadLetters,
    log: deps.log,
    fromBeginning: false,
    ...fetch,
    hooks: {
      onBatch: (topic, partition, _count, _high, lastOffset) =>
        deps.positions.consumed(topic, partition, lastOffset),
    },
    startAt: async (id, topic) => {
      const starts = await offsetsSince(deps.admin, topic, startTime(id));
      for (const s of starts) deps.positions.placed(topic, s.partition, s.offset);
      return starts;
    },
  });
}

/**
 * Each gateway replica reads the market, feature and prediction topics in full (its own consumer
 * group), because any user may be connected to it. On start it rewinds by time so the snapshots
 * are warm: bars over `barHistoryMs`, quotes over the last minute, predictions over the last hour;
 * features come from the compacted features.latest.v1. Where it starts and what it has read go
 * to `positions`, which tells readiness when the feed is live.
 */
export function createMarketFeed(
  deps: FeedDeps & { barHistoryMs: number; fetch?: { minBytes: number; maxWaitTimeInMs: number } },
): MarketFeed {
  const lookBackMs: Record<Exclude<MarketTopic, 'featuresLatest'>, number> = {
    bars: deps.barHistoryMs,
    quotes: 60_000,
    trades: 60_000,
    predictions: 3_600_000,
  };
  // The compacted latest features: all of it (one record per symbol).
  return feedConsumer(
    deps,
    '',
    MARKET_TOPICS,
    (id) => (id === 'featuresLatest' ? 0 : Date.now() - lookBackMs[id]),
    deps.fetch,
  );
}

/**
 * Order events get a reader of their own, from now on (history is served by REST): in the market
 * feed's consumer an order's outcome waited behind whatever quote batches the same fetch brought,
 * hundreds of ms under market load, where the trader watches for it.
 */
export function createOrderEventsFeed(deps: FeedDeps): OrderEventsFeed {
  return feedConsumer(deps, 'orders-', ['orderEvents'] as const, () => Date.now());
}

/** The end offsets of every partition the feed reads (for readiness rounds). */
export async function feedEnds(admin: Admin, names: TopicNames): Promise<PartitionEnd[]> {
  const perTopic = await Promise.all(
    FEED_TOPICS.map(async (id) => {
      const topic = names.of(id);
      return (await admin.fetchTopicOffsets(topic)).map((p) => ({
        topic,
        partition: p.partition,
        high: p.high,
      }));
    }),
  );
  return perTopic.flat();
}

/**
 * The feed's consumer; `caughtUp` resolves once the rewound history has been read (false on
 * timeout), so a restarted replica does not answer subscribes with empty snapshots.
 */
export type MarketFeed = TypedConsumer<MarketTopic>;

export type OrderEventsFeed = TypedConsumer<'orderEvents'>;

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
