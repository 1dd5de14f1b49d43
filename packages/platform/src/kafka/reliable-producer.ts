import type {
  Admin,
  Kafka,
  Message,
  Producer,
  ProducerBatch,
  ProducerConfig,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
} from 'kafkajs';
import { KafkaJSProtocolError, Partitioners } from 'kafkajs';
import { partitionMetadataOf } from './partitions';
import { TickstreamError } from '../errors';

const MAX_ROUNDS = 5;

/**
 * Queued sends merged into one request carry at most this many bytes of keys and values (the
 * first always goes, whatever its size), so that even sends all for one partition stay under the
 * broker's 1 MB record batch limit. A bar boundary's features output for 250 symbols (vectors
 * and engine state) is ~0.7 MB: one request.
 */
const MAX_MERGED_BYTES = 768 * 1024;

interface Waiting {
  acks: number | undefined;
  batch: Omit<ProducerBatch, 'topicMessages'>;
  topicMessages: TopicMessages[];
  resolve(r: RecordMetadata[]): void;
  reject(err: unknown): void;
}

const bytesOf = (topicMessages: TopicMessages[]): number =>
  topicMessages.reduce(
    (sum, t) => t.messages.reduce((s, m) => s + (m.value?.length ?? 0) + (m.key?.length ?? 0), sum),
    0,
  );

/**
 * The broker answered with an error code (through KafkaJS's retry wrappers): about some topic or
 * records of the request (authorization, size, unknown topic), or about a partition's leader. A
 * connection that failed or timed out is not one: it fails every send of the request alike.
 */
function answeredWithError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof KafkaJSProtocolError) return true;
  return false;
}

/**
 * Takes the first queued send and those right behind it that can share its request: the same
 * acks, timeout and compression, within MAX_MERGED_BYTES.
 */
function takeMergeable<W extends Omit<Waiting, 'resolve' | 'reject'>>(queue: W[]): W[] {
  const first = queue[0]!;
  let n = 1;
  let bytes = bytesOf(first.topicMessages);
  for (; n < queue.length; n++) {
    const w = queue[n]!;
    bytes += bytesOf(w.topicMessages);
    if (
      bytes > MAX_MERGED_BYTES ||
      w.acks !== first.acks ||
      w.batch.timeout !== first.batch.timeout ||
      w.batch.compression !== first.batch.compression
    )
      break;
  }
  return queue.splice(0, n);
}

/**
 * A KafkaJS producer (idempotent, acks=all by default) whose `send` and `sendBatch` resolve only
 * when every partition they wrote to acknowledged its records, and only if those records were
 * written.
 *
 * Why: KafkaJS 2.2.4 can resolve a send while records for some partitions were never written.
 * When a partition leader dies mid-request, its retry skips every broker that already answered
 * for other partitions, including the one that now leads the failed partitions
 * (tulios/kafkajs#1303; reproduced by test/faults/three-brokers.int.test.ts). So partitions are
 * assigned here with KafkaJS's own partitioner, the acknowledged partitions are read from the
 * response, and whatever is missing is sent again; the idempotent producer's sequence numbers
 * make a resend of a batch that did land harmless (with `idempotent: false` it is written twice:
 * only for records whose consumer dedupes them).
 *
 * And: when a request fails, KafkaJS's idempotent producer rolls its sequence numbers back, yet
 * the request may have been written (its acknowledgement lost to a timeout or a cut connection).
 * The broker then takes the next batch of as many records for a retry of that one, acknowledges
 * it and drops it (reproduced by packages/platform/test/kafka/lost-ack.test.ts). So after a
 * failed send the next one goes through a new KafkaJS producer (a new producer id, fresh
 * sequences); and idempotent sends run one at a time, so none can take the rolled-back numbers
 * meanwhile.
 *
 * @example
 *   const producer = createReliableProducer(kafka);
 *   await producer.connect();
 *   await producer.send({ topic, messages: [{ key: 'AAPL', value }] });
 */
export function createReliableProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  const settings: ProducerConfig = {
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    ...config,
  };
  const first = kafka.producer(settings);
  let producer = first;
  // A transactional producer's failures are the transaction's to handle (abort), not renewed here.
  const renewable = settings.idempotent === true && !settings.transactionalId;
  let connected = false;
  let stale = false;
  /** Idempotent sends not started yet, in call order; `pumping` while one request is out. */
  const waiting: Waiting[] = [];
  let pumping = false;

  /** The producer to send with; a new one after a failed send of an idempotent producer. */
  async function current(): Promise<Producer> {
    if (!stale) return producer;
    const old = producer;
    producer = kafka.producer(settings);
    await old.disconnect().catch(() => undefined);
    if (connected) await producer.connect();
    stale = false;
    return producer;
  }

  // Only idempotent sends wait for each other: a plain producer has no sequence to protect, and
  // a send that hangs (a broker gone silent) must not hold up the ones behind it.
  function oneAtATime(
    acks: number | undefined,
    batch: Omit<ProducerBatch, 'topicMessages'>,
    topicMessages: TopicMessages[],
  ): Promise<RecordMetadata[]> {
    if (!renewable) return sendAll(acks, batch, topicMessages);
    return new Promise((resolve, reject) => {
      waiting.push({ acks, batch, topicMessages, resolve, reject });
      if (!pumping) {
        pumping = true;
        setImmediate(() => void pump());
      }
    });
  }

  /**
   * One request at a time; the sends made in the same turn of the event loop, or while a request
   * was out, go together as the next one (in call order, so a partition's records keep their
   * order). Queued one by one, concurrent senders (a consumer handling six partitions of a burst
   * at once) paid a round trip each in turn: the sixth waited for five acknowledgements before its
   * own request left. The first send waits for the end of the turn (microseconds when idle),
   * since the rest of a burst's sends are made in it.
   */
  async function pump(): Promise<void> {
    while (waiting.length > 0) {
      const group = takeMergeable(waiting);
      const { acks, batch } = group[0]!;
      try {
        const answered = await sendAll(
          acks,
          batch,
          group.flatMap((w) => w.topicMessages),
        );
        for (const w of group)
          w.resolve(answered.filter((r) => w.topicMessages.some((t) => t.topic === r.topicName)));
      } catch (err) {
        if (group.length > 1 && answeredWithError(err)) await oneByOne(group);
        else for (const w of group) w.reject(err);
      }
    }
    pumping = false;
  }

  /**
   * The sends of a merged request the broker refused, each again in a request of its own (in call
   * order), so that only the one at fault fails: a send that always fails (a topic this user may
   * not write) would otherwise fail every unrelated send merged beside it, on every retry. Those
   * already written by the refused request are written again (at-least-once, as after any
   * failed request).
   */
  async function oneByOne(group: Waiting[]): Promise<void> {
    for (const w of group) {
      try {
        w.resolve(await sendAll(w.acks, w.batch, w.topicMessages));
      } catch (err) {
        w.reject(err);
      }
    }
  }

  const admin: Admin = kafka.admin();
  let adminConnected: Promise<void> | undefined;
  const partitionCounts = new Map<string, Promise<number>>();
  const partitioner = Partitioners.DefaultPartitioner();

  const partitionsOf = (topic: string): Promise<number> => {
    let count = partitionCounts.get(topic);
    if (!count) {
      count = (async () => {
        adminConnected ??= admin.connect();
        await adminConnected;
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0]?.partitions.length ?? 0;
      })();
      count.catch(() => partitionCounts.delete(topic));
      partitionCounts.set(topic, count);
    }
    return count;
  };

  async function assign(batches: TopicMessages[]): Promise<TopicMessages[]> {
    // The ingest publisher picks every partition itself: no metadata look-up, no copy.
    if (batches.every((t) => t.messages.every((m) => m.partition !== undefined))) return batches;
    return Promise.all(
      batches.map(async ({ topic, messages }) => {
        const n = await partitionsOf(topic);
        const partitionMetadata = partitionMetadataOf(n);
        return {
          topic,
          messages: messages.map((m): Message =>
            m.partition !== undefined
              ? m
              : { ...m, partition: partitioner({ topic, partitionMetadata, message: m }) },
          ),
        };
      }),
    );
  }

  async function sendAll(
    acks: number | undefined,
    batch: Omit<ProducerBatch, 'topicMessages'>,
    topicMessages: TopicMessages[],
  ): Promise<RecordMetadata[]> {
    let pending = await assign(topicMessages.filter((t) => t.messages.length > 0));
    const results: RecordMetadata[] = [];
    for (let round = 1; pending.length > 0; round++) {
      let answered: RecordMetadata[];
      try {
        answered = await (await current()).sendBatch({ ...batch, acks: acks ?? -1, topicMessages: pending });
      } catch (err) {
        if (renewable) stale = true;
        throw err;
      }
      results.push(...answered);
      if (acks === 0) return results;
      // Partitions by topic, looked up per record without building a key string for each.
      const acked = new Map<string, Set<number | undefined>>();
      for (const r of answered) {
        const parts = acked.get(r.topicName) ?? new Set<number | undefined>();
        acked.set(r.topicName, parts.add(r.partition));
      }
      pending = pending
        .map((t) => {
          const parts = acked.get(t.topic);
          return { topic: t.topic, messages: t.messages.filter((m) => !parts?.has(m.partition)) };
        })
        .filter((t) => t.messages.length > 0);
      if (pending.length > 0 && round >= MAX_ROUNDS) {
        throw new TickstreamError(
          'PRODUCE_INCOMPLETE',
          `brokers did not acknowledge ${pending.map((t) => t.topic).join(', ')} after ${round} rounds`,
          { retryable: true },
        );
      }
    }
    return results;
  }

  return Object.assign(Object.create(first) as Producer, {
    connect: async () => {
      connected = true;
      await (await current()).connect();
    },
    send: ({ topic, messages, acks, timeout, compression }: ProducerRecord) =>
      oneAtATime(acks, { timeout, compression }, [{ topic, messages }]),
    sendBatch: ({ topicMessages, acks, timeout, compression }: ProducerBatch) =>
      oneAtATime(acks, { timeout, compression }, topicMessages ?? []),
    disconnect: async () => {
      connected = false;
      await producer.disconnect();
      if (adminConnected) await admin.disconnect();
    },
  });
}
