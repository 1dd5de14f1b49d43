import type { Bar, Quote, Trade } from '@tickstream/contracts';
import type { AvroCodec, Logger, TopicNames, prom } from '@tickstream/platform';
import { TOPICS, TickstreamError, inNewTrace, partitionOfKey, tracedSend } from '@tickstream/platform';
import type { Message, Producer } from 'kafkajs';

type MarketTopic = 'trades' | 'quotes' | 'bars';
type MarketRecord = Trade | Quote | Bar;
const MARKET_TOPICS: readonly MarketTopic[] = ['trades', 'quotes', 'bars'];

interface Pending {
  topic: MarketTopic;
  key: string;
  value: MarketRecord;
  /** Chosen here (it decides the lane), so the producer need not hash the key again. */
  partition: number;
}

export interface PublisherMetrics {
  published: prom.Counter<'topic'>;
  dropped: prom.Counter<'reason'>;
  batchSize: prom.Histogram;
  freshness: prom.Gauge<'topic'>;
  /** From a record's hand-off to the publisher (its ingest_time) to the broker's acknowledgement. */
  publishSeconds: prom.Histogram<'topic'>;
}

export interface PublisherDeps {
  /**
   * One idempotent producer per lane. Each lane sends one request at a time, so records of a
   * partition (always the same lane) keep their order; the lanes' requests are in flight together.
   */
  producers: Producer[];
  codec: AvroCodec;
  names: TopicNames;
  log: Logger;
  metrics: PublisherMetrics;
  /** Extra wait to fill a batch when a lane is idle; 0 sends at once (a burst still goes as one). */
  lingerMs: number;
  maxBatch: number;
  maxBuffered: number;
}

const RETRY_DELAY_MS = 500;

/** What the lanes share: the buffer bound, the schema registration and whether it is closed. */
interface LaneShared {
  taken(n: number): void;
  returned(n: number): void;
  ensureRegistered(): Promise<void>;
  readonly closed: boolean;
}

/**
 * Collects market records from a source and publishes them, keyed by symbol so a symbol's records
 * stay in order in one partition.
 *
 * Records are spread over lanes by partition, each lane with its own idempotent producer and one
 * produce request in flight: while a request is out, the lane's next records gather into the next
 * batch, so batches grow with the rate and a quiet feed waits for nothing. Several lanes rather
 * than several requests on one producer: KafkaJS serialises an idempotent producer's requests to
 * a broker anyway, and rolls sequence numbers back when one fails, so a second request in flight
 * on the same producer could land before a retried first one. With a lane per partition a failed
 * batch goes back in front of its lane and nothing of its partitions overtakes it.
 *
 * The buffer is bounded: while Kafka is away the newest records beyond `maxBuffered` are dropped
 * and counted rather than exhausting memory (market data is superseded within seconds).
 */
export class MarketPublisher {
  private readonly lanes: Lane[];
  /** By topic, then symbol: no key string built per record. */
  private readonly partitionOfKey: Record<MarketTopic, Map<string, number>> = {
    trades: new Map(),
    quotes: new Map(),
    bars: new Map(),
  };
  private queued = 0;
  private closed = false;
  private registered: Promise<void> | undefined;

  constructor(private readonly deps: PublisherDeps) {
    if (deps.producers.length === 0)
      throw new TickstreamError('CONFIG_INVALID', 'the market publisher needs at least one producer');
    const isClosed = () => this.closed;
    const shared: LaneShared = {
      taken: (n) => void (this.queued -= n),
      returned: (n) => void (this.queued += n),
      ensureRegistered: () => this.ensureRegistered(),
      get closed() {
        return isClosed();
      },
    };
    this.lanes = deps.producers.map((producer) => new Lane(producer, shared, deps));
  }

  trade(t: Trade): void {
    this.push('trades', t.symbol, t);
  }

  quote(q: Quote): void {
    this.push('quotes', q.symbol, q);
  }

  bar(b: Bar): void {
    this.push('bars', b.symbol, b);
  }

  /** Records waiting for a produce request (not those in flight). */
  get pending(): number {
    return this.queued;
  }

  /** Publishes everything buffered; resolves when the broker acknowledged it. */
  async flush(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.flush()));
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    for (const l of this.lanes) l.cancel();
  }

  /** Schemas are registered once, before the first request of any lane. */
  private ensureRegistered(): Promise<void> {
    const registered = (this.registered ??= this.deps.codec.registerAll(['trades', 'quotes', 'bars']).then(
      () => undefined,
      (err: unknown) => {
        this.registered = undefined;
        throw err;
      },
    ));
    return registered;
  }

  private push(topic: MarketTopic, key: string, value: MarketRecord): void {
    if (this.closed) return;
    if (this.queued >= this.deps.maxBuffered) {
      this.deps.metrics.dropped.inc({ reason: 'buffer_full' });
      return;
    }
    this.queued++;
    const partition = this.partitionOf(topic, key);
    this.lanes[partition % this.lanes.length]!.push({ topic, key, value, partition });
  }

  /**
   * The partition KafkaJS's default partitioner picks for this key over the catalogue's partition
   * count; its lane is the partition modulo the lanes, so each partition is written by one lane.
   */
  private partitionOf(topic: MarketTopic, key: string): number {
    const known = this.partitionOfKey[topic];
    let partition = known.get(key);
    if (partition === undefined) {
      partition = partitionOfKey(topic, key, TOPICS[topic].partitions);
      known.set(key, partition);
    }
    return partition;
  }
}

/** One producer, one request in flight, its own buffer. */
class Lane {
  private buffer: Pending[] = [];
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private retryWait: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly owner: LaneShared,
    private readonly deps: PublisherDeps,
  ) {}

  push(p: Pending): void {
    this.buffer.push(p);
    // Busy: the records go with the next batch, as soon as the request in flight is answered.
    if (this.sending) return;
    if (this.buffer.length >= this.deps.maxBatch || this.deps.lingerMs === 0) {
      // After the current turn of the event loop, so a source's synchronous burst is one batch.
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.drain();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.deps.lingerMs);
    }
  }

  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.sending) await this.drain();
  }

  cancel(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retryWait) {
      clearTimeout(this.retryWait.timer);
      this.retryWait.wake();
    }
  }

  private drain(): Promise<void> {
    // A batch holds ticks of many symbols and outlives whatever pushed its first record (a
    // control message's handling, say): each send starts its own trace, whose root is ingest.
    this.sending ??= inNewTrace(() => this.sendAll()).finally(() => {
      this.sending = undefined;
      // Records pushed while the last answer was being handled.
      if (this.buffer.length > 0 && !this.owner.closed) void this.drain();
    });
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    const { metrics, log, names, maxBatch } = this.deps;
    while (this.buffer.length > 0) {
      const batch = this.takeBatch(maxBatch);
      this.owner.taken(batch.length);
      const sent: Pending[] = [];
      try {
        await this.owner.ensureRegistered();
        // By topic in a plain record: a Map lookup and store per record showed in profiles.
        const byTopic: Record<MarketTopic, Message[]> = { trades: [], quotes: [], bars: [] };
        for (const r of batch) {
          const value = this.encode(r);
          if (!value) continue;
          sent.push(r);
          byTopic[r.topic].push({ key: r.key, value, partition: r.partition });
        }
        const topicMessages = MARKET_TOPICS.filter((t) => byTopic[t].length > 0).map((t) => ({
          topic: names.of(t),
          messages: byTopic[t],
        }));
        if (topicMessages.length > 0)
          await tracedSend(
            topicMessages.map((t) => t.topic),
            topicMessages.flatMap((t) => t.messages),
            () => this.producer.sendBatch({ acks: -1, topicMessages }),
          );
      } catch (err) {
        // The producer already retried. Back in front of the lane, so order is kept, and again
        // after a pause.
        // (What did not encode was dropped for good; a failed registration sends it all back.)
        const back = sent.length > 0 ? sent : batch;
        this.buffer.unshift(...back);
        this.owner.returned(back.length);
        log.error({ err, records: back.length }, 'publishing market data failed; will retry');
        await this.pause();
        if (this.owner.closed) return;
        continue;
      }
      this.observe(sent);
      metrics.batchSize.observe(batch.length);
    }
  }

  private encode(r: Pending): Buffer | undefined {
    try {
      return this.deps.codec.encodeSync(r.topic, r.value as never);
    } catch (err) {
      // A record the schema refuses is a bug in a source; count it, never block the rest.
      this.deps.metrics.dropped.inc({ reason: 'encode_failed' });
      this.deps.log.error({ err, topic: r.topic, symbol: r.key }, 'dropped a record that does not encode');
      return undefined;
    }
  }

  /** The next batch: the whole buffer when it fits (no copy), else its first `max` records. */
  private takeBatch(max: number): Pending[] {
    if (this.buffer.length > max) return this.buffer.splice(0, max);
    const all = this.buffer;
    this.buffer = [];
    return all;
  }

  private observe(sent: Pending[]): void {
    const { metrics } = this.deps;
    const now = Date.now();
    const counts: Record<MarketTopic, number> = { trades: 0, quotes: 0, bars: 0 };
    const newest: Record<MarketTopic, number> = { trades: 0, quotes: 0, bars: 0 };
    // One labelled child per topic and batch: a label lookup per record is measurable at 50k/s.
    const latency: Partial<Record<MarketTopic, prom.Histogram.Internal<'topic'>>> = {};
    for (const { topic, value: v } of sent) {
      counts[topic]++;
      const t = 'event_time' in v ? v.event_time : v.start_time + v.interval_ms;
      if (t > newest[topic]) newest[topic] = t;
      (latency[topic] ??= metrics.publishSeconds.labels({ topic })).observe(
        Math.max(0, now - v.ingest_time) / 1000,
      );
    }
    for (const topic of MARKET_TOPICS) {
      if (counts[topic] === 0) continue;
      metrics.published.inc({ topic }, counts[topic]);
      metrics.freshness.set({ topic }, newest[topic] / 1000);
    }
  }

  private pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        this.retryWait = undefined;
        resolve();
      };
      this.retryWait = { timer: setTimeout(wake, RETRY_DELAY_MS), wake };
    });
  }
}
