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
import { Partitioners } from 'kafkajs';
import { TickstreamError } from '../errors';

const MAX_ROUNDS = 5;

/**
 * A KafkaJS producer (idempotent, acks=all by default) whose `send` and `sendBatch` resolve only
 * when every partition they wrote to acknowledged its records.
 *
 * Why: KafkaJS 2.2.4 can resolve a send while records for some partitions were never written.
 * When a partition leader dies mid-request, its retry skips every broker that already answered
 * for other partitions, including the one that now leads the failed partitions
 * (tulios/kafkajs#1303; reproduced by test/faults/three-brokers.test.ts). So partitions are
 * assigned here with KafkaJS's own partitioner, the acknowledged partitions are read from the
 * response, and whatever is missing is sent again; the idempotent producer's sequence numbers
 * make a resend of a batch that did land harmless (with `idempotent: false` it is written twice:
 * only for records whose consumer dedupes them).
 *
 * @example
 *   const producer = createReliableProducer(kafka);
 *   await producer.connect();
 *   await producer.send({ topic, messages: [{ key: 'AAPL', value }] });
 */
export function createReliableProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    ...config,
  });
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
    return Promise.all(
      batches.map(async ({ topic, messages }) => {
        const n = await partitionsOf(topic);
        const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({
          partitionId,
          leader: 0,
          replicas: [],
          isr: [],
          partitionErrorCode: 0,
        }));
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
      const answered = await producer.sendBatch({ ...batch, acks: acks ?? -1, topicMessages: pending });
      results.push(...answered);
      if (acks === 0) return results;
      const acked = new Set(answered.map((r) => `${r.topicName}:${r.partition}`));
      pending = pending
        .map((t) => ({
          topic: t.topic,
          messages: t.messages.filter((m) => !acked.has(`${t.topic}:${m.partition}`)),
        }))
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

  return Object.assign(Object.create(producer) as Producer, {
    send: ({ topic, messages, acks, timeout, compression }: ProducerRecord) =>
      sendAll(acks, { timeout, compression }, [{ topic, messages }]),
    sendBatch: ({ topicMessages, acks, timeout, compression }: ProducerBatch) =>
      sendAll(acks, { timeout, compression }, topicMessages ?? []),
    disconnect: async () => {
      await producer.disconnect();
      if (adminConnected) await admin.disconnect();
    },
  });
}
