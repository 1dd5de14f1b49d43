import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DecodeError, TickstreamError, isRetryable } from '../errors';
import type { Logger } from '../logger';
import { tracedProcess } from '../telemetry/kafka';
import { CatchUp } from './catch-up';
import type { AvroCodec } from './codec';
import type { KafkaInstruments } from './instruments';
import { kafkaInstruments } from './instruments';
import type { AvroTopicId, TopicNames, ValueOf } from './topics';

export interface InRecord<T extends AvroTopicId = AvroTopicId> {
  topicId: T;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: ValueOf<T>;
  headers: IHeaders;
  timestamp: number;
}

/** A record of any of the topics `T`, discriminated by `topicId`. */
export type RecordOf<T extends AvroTopicId> = { [K in T]: InRecord<K> }[T];

export type AnyInRecord = RecordOf<AvroTopicId>;

/**
 * Offsets are committed this often, from a timer beside the batches (and on stop, on an error and
 * before a rebalance the consumer sees). KafkaJS's own autoCommit commits after every batch, one
 * round trip to the coordinator each, in line with the handling: a fetch that returned 30
 * partitions' batches paid 30 commits before its last batch was handled (ingest -> gateway took
 * ~20 ms where a bare consumer took 1). A commit awaited by a batch, even once a second, held the
 * next fetch for that round trip: every record arriving meanwhile paid it.
 */
const COMMIT_INTERVAL_MS = 1000;

export interface DeadLetterReason {
  code: string;
  message: string;
}

export const DLQ_HEADERS = {
  reasonCode: 'dlq.reason.code',
  reason: 'dlq.reason',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  group: 'dlq.consumer.group',
  time: 'dlq.time',
} as const;

/** Lets a handler dead-letter one record it refuses while handling the rest of its batch. */
export interface BatchContext<T extends AvroTopicId> {
  deadLetter(record: RecordOf<T>, reason: DeadLetterReason): Promise<void>;
  /**
   * Seconds spent decoding the batch before the handler got it, for a service's per-step timing;
   * absent when a refused batch's records are handled again one by one (decoded already).
   */
  decodeSeconds?: number;
}

/** A topic's metric labels, made once, and what its batches counted since the last scrape. */
interface TopicTally {
  labels: { consumergroup: string; topic: string };
  consumed: number;
  /** Kafka timestamp (ms) of the newest record handled; undefined until one is. */
  newest: number | undefined;
}

/** What the consumer knows of one partition it has handled batches of. */
interface PartitionState {
  topic: string;
  partition: number;
  /** The last offset handled. */
  last: string;
  /** Records behind the high watermark after the last batch, for the lag gauge at scrape time. */
  lag: number;
  lagLabels: { consumergroup: string; topic: string; partition: string };
}

export interface ConsumerHooks {
  onDeadLetter?(reason: DeadLetterReason, topic: string): void;
  onBatch?(topic: string, partition: number, count: number, highWatermark: string, lastOffset: string): void;
}

/** What each reader of a service is built with; a ServiceKit holds them all. */
export interface ConsumerContext {
  kafka: Kafka;
  codec: AvroCodec;
  names: TopicNames;
  log: Logger;
}

/** The ConsumerContext part of `from` (a ServiceKit, a service's dependencies), and nothing else. */
export function consumerContext({ kafka, codec, names, log }: ConsumerContext): ConsumerContext {
  return { kafka, codec, names, log };
}

/**
 * A consumer-group reader of Avro topics. Each batch is decoded; a record that cannot be decoded
 * (bad magic byte, unknown schema id, wrong shape) or that the handler rejects with a
 * non-retryable error goes to the dead-letter topic with the reason in headers, and consumption
 * goes on. Offsets are committed only after the handler has finished with a record, so nothing
 * acknowledged is lost (at-least-once; handlers are idempotent). They are committed once a second
 * rather than after every batch, and on stop, so a crash or a rebalance the consumer is not told
 * of in time redelivers at most about a second of records.
 *
 * @example
 *   const reader = new TypedConsumer({ ...consumerContext(kit), groupId: 'features', topics: ['bars'], deadLetters });
 *   await reader.start(async (records) => { for (const r of records) handle(r.value); });
 */
export class TypedConsumer<T extends AvroTopicId> {
  readonly consumer: Consumer;
  private readonly topicById = new Map<string, T>();
  private readonly instruments: KafkaInstruments | undefined;
  private readonly group: string;
  /** Partitions placed by `startAt` with a `high` still to be read up to it. */
  private catchUp = new CatchUp([]);
  private readonly tallies = new Map<string, TopicTally>();
  private readonly partitions = new Map<string, Map<number, PartitionState>>();
  /** Partitions handled in this generation, for the commits (periodic and on stop). */
  private readonly resolved = new Set<PartitionState>();
  private fetchCount = 0;
  private readonly flushMetrics = () => this.writeMetrics();
  /** Something was resolved since the timer last committed (see commitPeriodically). */
  private resolvedSinceCommit = false;
  private commitTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly opts: ConsumerContext & {
      groupId: string;
      topics: readonly T[];
      /** Producer used to write dead letters (any connected producer). */
      deadLetters: Producer;
      fromBeginning?: boolean;
      hooks?: ConsumerHooks;
      sessionTimeout?: number;
      maxBytesPerPartition?: number;
      /**
       * A fetch waits on the broker for this many bytes (default 1: any record), or for
       * `maxWaitTimeInMs` (default 100). Fewer, fuller fetches cost less CPU per record (in the
       * consumer and the broker) at the price of up to `maxWaitTimeInMs` of latency per record.
       */
      minBytes?: number;
      maxWaitTimeInMs?: number;
      /**
       * Batches of this many partitions are handled at once (default 1). Records of one partition
       * stay in order; use it where the handler is I/O-bound and keys are independent.
       */
      partitionsConsumedConcurrently?: number;
      /**
       * Where to start each partition of a topic, overriding committed offsets; for readers that
       * rebuild in-memory state (e.g. the last hours of bars) rather than resume a group.
       */
      startAt?: (
        topicId: T,
        topic: string,
      ) => Promise<{ partition: number; offset: string; high?: string }[] | undefined>;
    },
  ) {
    this.consumer = opts.kafka.consumer({
      groupId: opts.names.group(opts.groupId),
      sessionTimeout: opts.sessionTimeout ?? 10000,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 100,
      ...(opts.minBytes ? { minBytes: opts.minBytes } : {}),
      ...(opts.maxBytesPerPartition ? { maxBytesPerPartition: opts.maxBytesPerPartition } : {}),
    });
    for (const id of opts.topics) this.topicById.set(opts.names.of(id), id);
    this.instruments = kafkaInstruments(opts.kafka);
    this.group = opts.names.group(opts.groupId);
    for (const topic of this.topicById.keys())
      this.tallies.set(topic, {
        labels: { consumergroup: this.group, topic },
        consumed: 0,
        newest: undefined,
      });
  }

  async start(handle: (records: RecordOf<T>[], ctx: BatchContext<T>) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.topicById.keys()],
      fromBeginning: this.opts.fromBeginning ?? true,
    });
    if (this.opts.startAt) await this.placeStartsOnJoin(this.opts.startAt);
    // A new generation may have moved partitions elsewhere: only what is handled from now on is
    // ours to commit on stop.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.resolved.clear());
    this.consumer.on(this.consumer.events.FETCH, () => this.fetchCount++);
    this.instruments?.beforeCollect.add(this.flushMetrics);
    this.commitTimer = setInterval(() => void this.commitPeriodically(), COMMIT_INTERVAL_MS);
    this.commitTimer.unref();
    await this.consumer.run({
      // Committed by the timer, every COMMIT_INTERVAL_MS (see there).
      autoCommit: false,
      autoCommitInterval: COMMIT_INTERVAL_MS,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        isRunning,
        isStale,
        commitOffsetsIfNecessary,
        uncommittedOffsets,
      }) => {
        const id = this.topicById.get(batch.topic);
        const tally = this.tallies.get(batch.topic);
        if (id === undefined || tally === undefined) return;
        const labels = tally.labels;
        const endTimer = this.instruments?.batchSeconds.startTimer(labels);
        // Everything resolved so far, whatever the interval: before an error is rethrown (the
        // retry starts after it) and while stopping.
        const commitResolved = () => commitOffsetsIfNecessary(uncommittedOffsets());
        const records: RecordOf<T>[] = [];
        // The message each record was decoded from, at the same index (for dead letters): a Map
        // keyed by record cost a hash entry per record on the hot path, for a rare look-up.
        const raw: KafkaMessage[] = [];
        // Built at the batch's first dead letter (the handler runs once every record is
        // decoded): a scan per dead letter would be quadratic in a batch full of bad records.
        let indexOf: Map<RecordOf<T>, number> | undefined;
        let seen = 0;
        let halted: unknown;
        const ctx: BatchContext<T> = {
          deadLetter: async (r, reason) => {
            indexOf ??= new Map(records.map((rec, i) => [rec, i]));
            const m = raw[indexOf.get(r) ?? -1];
            if (m) await this.deadLetter(r.topic, r.partition, m, reason);
          },
        };
        await tracedProcess(
          { topic: batch.topic, partition: batch.partition, group: this.group, messages: batch.messages },
          async () => {
            const decodeStart = process.hrtime.bigint();
            for (const m of batch.messages) {
              if (!isRunning() || isStale()) break;
              try {
                // Synchronous once the writer schema is known: an await per record cost a
                // microtask and a promise each, thousands a second on the market topics.
                const r =
                  this.decodeCached(id, batch.topic, batch.partition, m) ??
                  (await this.decode(id, batch.topic, batch.partition, m));
                records.push(r);
                raw.push(m);
              } catch (err) {
                if (!(err instanceof DecodeError)) {
                  // The registry is away: handle and resolve what came before this record, so
                  // the redelivery starts here and dead letters already written are not repeated.
                  halted = err;
                  break;
                }
                await this.deadLetter(batch.topic, batch.partition, m, {
                  code: err.code,
                  message: err.message,
                });
              }
              seen++;
            }
            ctx.decodeSeconds = Number(process.hrtime.bigint() - decodeStart) / 1e9;
            if (records.length > 0) this.observeAge(labels, records);
            try {
              if (records.length > 0) await handle(records, ctx);
            } catch (err) {
              if (isRetryable(err)) {
                this.instruments?.retries.inc(labels);
                await commitResolved().catch(() => undefined);
                throw err;
              }
              await this.isolate(records, raw, handle, err);
            }
          },
        );
        const last = batch.messages[seen - 1];
        if (last) {
          resolveOffset(last.offset);
          const state = this.partitionState(batch.topic, batch.partition);
          state.last = last.offset;
          state.lag = Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1);
          this.resolved.add(state);
          this.resolvedSinceCommit = true;
          // Written to the metrics at scrape time (writeMetrics), not per batch.
          tally.consumed += seen;
          tally.newest = Number(last.timestamp);
        }
        endTimer?.();
        if (last) this.catchUp.consumed(batch.topic, batch.partition, last.offset);
        this.opts.hooks?.onBatch?.(
          batch.topic,
          batch.partition,
          seen,
          batch.highWatermark,
          last?.offset ?? '-1',
        );
        if (halted !== undefined) {
          // Commit what was handled, so that even a restarted consumer retries from the record
          // it could not decode and writes no dead letter twice.
          this.instruments?.retries.inc(labels);
          await commitResolved().catch(() => undefined);
          throw halted;
        }
        if (this.stopping) await commitResolved();
        try {
          await heartbeat();
        } catch (err) {
          // A rebalance: hand the partitions over with everything handled so far committed.
          await commitResolved().catch(() => undefined);
          throw err;
        }
      },
    });
  }

  private partitionState(topic: string, partition: number): PartitionState {
    let byPartition = this.partitions.get(topic);
    if (!byPartition) this.partitions.set(topic, (byPartition = new Map()));
    let state = byPartition.get(partition);
    if (!state) {
      state = {
        topic,
        partition,
        last: '-1',
        lag: 0,
        lagLabels: { consumergroup: this.group, topic, partition: String(partition) },
      };
      byPartition.set(partition, state);
    }
    return state;
  }

  /** Writes what the batches counted since the last scrape into the shared instruments. */
  private writeMetrics(): void {
    const m = this.instruments;
    if (!m) return;
    for (const tally of this.tallies.values()) {
      if (tally.consumed > 0) m.consumed.inc(tally.labels, tally.consumed);
      tally.consumed = 0;
      if (tally.newest !== undefined) m.lastRecordTime.set(tally.labels, tally.newest / 1000);
    }
    for (const byPartition of this.partitions.values())
      for (const state of byPartition.values()) m.lag.set(state.lagLabels, state.lag);
    if (this.fetchCount > 0) m.fetches.inc({ consumergroup: this.group }, this.fetchCount);
    this.fetchCount = 0;
  }

  /** The offsets to commit: the one after the last handled, of each partition handled. */
  private resolvedOffsets(): { topic: string; partition: number; offset: string }[] {
    return [...this.resolved].map(({ topic, partition, last }) => ({
      topic,
      partition,
      offset: (BigInt(last) + 1n).toString(),
    }));
  }

  /** Age of each record (now minus its Kafka timestamp) as it reaches the handler. */
  private observeAge(labels: { consumergroup: string; topic: string }, records: RecordOf<T>[]): void {
    const age = this.instruments?.recordAge.labels(labels);
    if (!age) return;
    const now = Date.now();
    for (const r of records) age.observe(Math.max(0, now - r.timestamp) / 1000);
  }

  /**
   * Seeks to the `startAt` positions as soon as the group has joined. Seeking right after `run()`
   * fails when the first join crashed (e.g. "the coordinator is loading" on a broker that just
   * started): KafkaJS then has no group until its restart, and a seek throws. So the seeks are
   * placed from the join event, on the first join and again on the join after any crash, since
   * a restarted consumer resumes from committed offsets, which may not hold the seek yet.
   */
  private async placeStartsOnJoin(startAt: NonNullable<(typeof this.opts)['startAt']>): Promise<void> {
    const starts: { topic: string; partition: number; offset: string; high?: string }[] = [];
    for (const [topic, id] of this.topicById)
      for (const p of (await startAt(id, topic)) ?? []) starts.push({ topic, ...p });
    // Known before the first seek, so no batch read from a new position goes uncounted.
    this.catchUp = new CatchUp(
      starts.flatMap(({ high, ...p }) => (high === undefined ? [] : [{ ...p, high }])),
    );
    let seekOnJoin = true;
    const { CRASH, GROUP_JOIN } = this.consumer.events;
    this.consumer.on(CRASH, ({ payload }) => {
      if (payload.restart) seekOnJoin = true;
    });
    this.consumer.on(GROUP_JOIN, () => {
      if (!seekOnJoin) return;
      seekOnJoin = false;
      for (const { topic, partition, offset } of starts) this.consumer.seek({ topic, partition, offset });
    });
  }

  /**
   * True once every partition `startAt` placed with a `high` (as `offsetsSince` gives) has been
   * read up to that end offset; false if that takes longer than `timeoutMs`.
   */
  caughtUp(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void this.catchUp.done.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** One bad record must not block its partition: re-run the batch one record at a time to find it. */
  private async isolate(
    records: RecordOf<T>[],
    raw: readonly KafkaMessage[],
    handle: (records: RecordOf<T>[], ctx: BatchContext<T>) => Promise<void>,
    first: unknown,
  ): Promise<void> {
    this.opts.log.warn({ err: first }, 'handler refused a batch; retrying its records one by one');
    for (const [i, r] of records.entries()) {
      try {
        await handle([r], {
          deadLetter: (rec, reason) => this.deadLetter(rec.topic, rec.partition, raw[i]!, reason),
        });
      } catch (err) {
        if (isRetryable(err)) throw err;
        const code = err instanceof TickstreamError ? err.code : 'HANDLER_REJECTED';
        await this.deadLetter(r.topic, r.partition, raw[i]!, {
          code,
          message: (err as Error).message,
        });
      }
    }
  }

  /** The record, if its writer schema is already known (no registry look-up); undefined otherwise. */
  private decodeCached(id: T, topic: string, partition: number, m: KafkaMessage): RecordOf<T> | undefined {
    const value = this.opts.codec.decodeIfCached(id, m.value);
    return value === undefined ? undefined : this.record(id, topic, partition, m, value);
  }

  private async decode(id: T, topic: string, partition: number, m: KafkaMessage): Promise<RecordOf<T>> {
    return this.record(id, topic, partition, m, await this.opts.codec.decode(id, m.value));
  }

  private record(id: T, topic: string, partition: number, m: KafkaMessage, value: ValueOf<T>): RecordOf<T> {
    return {
      topicId: id,
      topic,
      partition,
      offset: m.offset,
      key: m.key ? m.key.toString() : null,
      value,
      headers: m.headers ?? {},
      timestamp: Number(m.timestamp),
    } as RecordOf<T>;
  }

  private async deadLetter(
    topic: string,
    partition: number,
    m: KafkaMessage,
    reason: DeadLetterReason,
  ): Promise<void> {
    this.opts.log.warn(
      { topic, partition, offset: m.offset, code: reason.code },
      `dead-lettered a record: ${reason.message}`,
    );
    await this.opts.deadLetters.send({
      topic: this.opts.names.of('deadLetters'),
      acks: -1,
      messages: [
        {
          key: m.key,
          value: m.value,
          headers: {
            ...(m.headers ?? {}),
            [DLQ_HEADERS.reasonCode]: reason.code,
            [DLQ_HEADERS.reason]: reason.message,
            [DLQ_HEADERS.sourceTopic]: topic,
            [DLQ_HEADERS.sourcePartition]: String(partition),
            [DLQ_HEADERS.sourceOffset]: m.offset,
            [DLQ_HEADERS.group]: this.group,
            [DLQ_HEADERS.time]: new Date().toISOString(),
          },
        },
      ],
    });
    this.instruments?.deadLetters.inc({ consumergroup: this.group, topic, code: reason.code });
    this.opts.hooks?.onDeadLetter?.(reason, topic);
  }

  /**
   * Commits what the batches handled, once a second, beside them: no batch waits for it, and the
   * tail of a burst followed by silence is committed a second later too (were commits left to the
   * next batch, a restart replayed it and the group's lag never reached zero). A commit during a
   * rebalance fails on the old generation and is dropped; the new owner re-reads at most what this
   * would have committed.
   */
  private async commitPeriodically(): Promise<void> {
    if (!this.resolvedSinceCommit || this.stopping) return;
    this.resolvedSinceCommit = false;
    const offsets = this.resolvedOffsets();
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(offsets).catch((err: unknown) => {
      this.resolvedSinceCommit = true;
      this.opts.log.debug({ err }, 'periodic commit failed; the next tick commits');
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.commitTimer);
    // A batch that ends from now on commits everything resolved (see eachBatch); what batches
    // resolved before is committed here. disconnect() then stops fetching, waits for the running
    // batch and leaves the group.
    this.stopping = true;
    const offsets = this.resolvedOffsets();
    if (offsets.length > 0)
      await this.consumer
        .commitOffsets(offsets)
        .catch((err: unknown) =>
          this.opts.log.warn({ err }, 'committing offsets on stop failed; the next owner re-reads them'),
        );
    await this.consumer.disconnect();
    this.writeMetrics();
    this.instruments?.beforeCollect.delete(this.flushMetrics);
  }
}
