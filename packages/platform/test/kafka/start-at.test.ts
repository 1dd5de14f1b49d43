import type { Kafka } from 'kafkajs';
import { KafkaJSError, PartitionAssigners } from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';
import { TypedConsumer, TypedProducer, createKafka } from '@tickstream/platform';
import { eventually, testKafka } from '../../../../test/support/env';
import { bar } from '../../../../test/support/records';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, silentLog } from '../../../../test/support/kafka';

/**
 * The round-robin assigner, except that its first assignment fails with a retriable error, as a
 * join does when the group coordinator is still loading on a broker that just started: KafkaJS
 * crashes the consumer, drops its group and restarts it a moment later.
 */
const failingFirstAssignment: PartitionAssigner = (config) => {
  const inner = PartitionAssigners.roundRobin(config);
  let failed = false;
  return {
    ...inner,
    assign: async (group) => {
      if (!failed) {
        failed = true;
        throw new KafkaJSError('the coordinator is loading (simulated)', { retriable: true });
      }
      return inner.assign(group);
    },
  };
};

describe('a reader that starts at chosen offsets', () => {
  let bed: KafkaTestbed;
  let kafka: Kafka;
  let reader: TypedConsumer<'bars'> | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('start-at');
    // Few, short retries, so the failed join crashes the consumer at once instead of retrying.
    const plain = createKafka(
      {
        ...testKafka(),
        clientId: 'start-at',
        retry: { retries: 0, initialRetryTime: 100 },
      },
      silentLog,
    );
    kafka = new Proxy(plain, {
      get: (target, prop) =>
        prop === 'consumer'
          ? (cfg: Parameters<Kafka['consumer']>[0]) =>
              target.consumer({ ...cfg, partitionAssigners: [failingFirstAssignment] })
          : Reflect.get(target, prop),
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await bed.close();
  });

  it('starts where startAt says even when its first join crashes', async () => {
    const producer = new TypedProducer(bed.kafka, bed.codec, bed.names);
    await producer.connect();
    const bars = Array.from({ length: 10 }, (_, i) => bar('AAPL', i, 10));
    await producer.send(
      'bars',
      bars.map((value) => ({ key: value.symbol, value })),
    );
    await producer.disconnect();

    const handled: number[] = [];
    reader = new TypedConsumer({
      kafka,
      codec: bed.codec,
      names: bed.names,
      groupId: 'start-at',
      topics: ['bars'],
      deadLetters: bed.producer,
      log: silentLog,
      // The last four bars of the one partition that holds them.
      startAt: async (_id, topic) =>
        (await bed.admin.fetchTopicOffsets(topic))
          .filter((p) => Number(p.high) > 0)
          .map((p) => ({ partition: p.partition, offset: String(Number(p.high) - 4) })),
    });
    await reader.start(async (records) => {
      handled.push(...records.map((r) => Number(r.offset)));
    });
    await eventually(() => handled.includes(9), 30000, 'the last bar');
    expect(Math.min(...handled)).toBe(6);
  });
});
