import type { Bar } from '@tickstream/contracts';
import type { KafkaConnection, Logger } from '@tickstream/platform';
import { AvroCodec, TickstreamError, TopicNames, createKafka } from '@tickstream/platform';

/**
 * Every bar in md.bars.v1 from the beginning up to the end it had when reading started, through
 * a throwaway consumer group that is deleted afterwards. Bars that arrive meanwhile are left out
 * so that two runs over a quiet topic see the same data.
 */
export async function readBarTopic(
  src: { registryUrl: string; topicPrefix: string } & KafkaConnection,
  log: Logger,
): Promise<Bar[]> {
  const names = new TopicNames(src.topicPrefix);
  const topic = names.of('bars');
  const kafka = createKafka(
    { brokers: src.brokers, sasl: src.sasl, ssl: src.ssl, clientId: 'tickstream-train' },
    log,
  );
  const codec = new AvroCodec({ registryUrl: src.registryUrl, topics: names });
  const admin = kafka.admin();
  await admin.connect();
  // Under the quant principal's group prefix (kafka/acls.ts): reading bars to train is what a quant does.
  const groupId = names.group(`quant-train-${process.pid}-${Date.now()}`);
  try {
    // Without this check KafkaJS retries an unknown topic for half a minute before saying so.
    if (!(await admin.listTopics()).includes(topic))
      throw new TickstreamError(
        'TOPIC_NOT_FOUND',
        `topic ${topic} does not exist on ${src.brokers.join(',')} (TOPIC_PREFIX=${JSON.stringify(src.topicPrefix)})`,
      );
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
    const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
    const bars: Bar[] = [];
    if (pending.size === 0) return bars;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              const end = ends.get(batch.partition) ?? 0n;
              for (const m of batch.messages) {
                if (BigInt(m.offset) >= end) break;
                bars.push(await codec.decode('bars', m.value));
              }
              if (BigInt(batch.lastOffset()) + 1n >= end) pending.delete(batch.partition);
              if (pending.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    log.info({ topic, bars: bars.length }, 'read the bar topic');
    return bars;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
