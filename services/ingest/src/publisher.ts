import type { Bar, Quote, Trade } from '@tickstream/contracts';
import type { AvroCodec, Logger, TopicNames, prom } from '@tickstream/platform';
import { tracedSend } from '@tickstream/platform';
import type { Message, Producer } from 'kafkajs';

type MarketTopic = 'trades' | 'quotes' | 'bars';

export interface PublisherMetrics {
  published: prom.Counter<'topic'>;
  dropped: prom.Counter<'reason'>;
  batchSize: prom.Histogram;
  freshness: prom.Gauge<'topic'>;
}

/**
 * Collects market records from a source and publishes them in micro-batches: one produce request
 * per `lingerMs` (or per `maxBatch` records) across the three market topics, keyed by symbol so a
 * symbol's records stay in order in one partition. The buffer is bounded: while Kafka is away
 * the newest records beyond `maxBuffered` are dropped and counted rather than exhausting memory
 * (market data is superseded within seconds; the feed's own gap is logged).
 */
export class MarketPublisher {
  private buffer: { topic: MarketTopic; key: string; value: Trade | Quote | Bar }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private registered = false;

  constructor(
    private readonly deps: {
      producer: Producer;
      codec: AvroCodec;
      names: TopicNames;
      log: Logger;
      metrics: PublisherMetrics;
      lingerMs: number;
      maxBatch: number;
      maxBuffered: number;
    },
  ) {}

  trade(t: Trade): void {
    this.push('trades', t.symbol, t);
  }

  quote(q: Quote): void {
    this.push('quotes', q.symbol, q);
  }

  bar(b: Bar): void {
    this.push('bars', b.symbol, b);
  }

  get pending(): number {
    return this.buffer.length;
  }

  private push(topic: MarketTopic, key: string, value: Trade | Quote | Bar): void {
    if (this.closed) return;
    if (this.buffer.length >= this.deps.maxBuffered) {
      this.deps.metrics.dropped.inc({ reason: 'buffer_full' });
      return;
    }
    this.buffer.push({ topic, key, value });
    if (this.buffer.length >= this.deps.maxBatch) this.scheduleFlush(0);
    else this.scheduleFlush(this.deps.lingerMs);
  }

  private scheduleFlush(delay: number): void {
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
  }

  /** Publishes everything buffered; resolves when the broker acknowledged it. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.deps.maxBatch);
      const byTopic = new Map<MarketTopic, Message[]>();
      const newest = new Map<MarketTopic, number>();
      if (!this.registered) {
        await this.deps.codec.registerAll(['trades', 'quotes', 'bars']);
        this.registered = true;
      }
      for (const r of batch) {
        let value: Buffer;
        try {
          value = this.deps.codec.encodeSync(r.topic, r.value as never);
        } catch (err) {
          // A record the schema refuses is a bug in a source; count it, never block the rest.
          this.deps.metrics.dropped.inc({ reason: 'encode_failed' });
          this.deps.log.error(
            { err, topic: r.topic, symbol: r.key },
            'dropped a record that does not encode',
          );
          continue;
        }
        const list = byTopic.get(r.topic) ?? [];
        list.push({ key: r.key, value });
        byTopic.set(r.topic, list);
        const t = 'event_time' in r.value ? r.value.event_time : r.value.start_time + r.value.interval_ms;
        newest.set(r.topic, Math.max(newest.get(r.topic) ?? 0, t));
      }
      try {
        const topicMessages = [...byTopic].map(([topic, messages]) => ({
          topic: this.deps.names.of(topic),
          messages,
        }));
        await tracedSend(
          topicMessages.map((t) => t.topic),
          topicMessages.flatMap((t) => t.messages),
          () => this.deps.producer.sendBatch({ acks: -1, topicMessages }),
        );
      } catch (err) {
        // The producer already retried; put the batch back in front so order is kept, and let
        // the next flush try again.
        this.buffer.unshift(...batch);
        this.deps.log.error({ err, records: batch.length }, 'publishing market data failed; will retry');
        await new Promise((r) => setTimeout(r, 500));
        if (this.closed) return;
        continue;
      }
      for (const [topic, messages] of byTopic) {
        this.deps.metrics.published.inc({ topic }, messages.length);
        this.deps.metrics.freshness.set({ topic }, (newest.get(topic) ?? 0) / 1000);
      }
      this.deps.metrics.batchSize.observe(batch.length);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
    this.closed = true;
  }
}
