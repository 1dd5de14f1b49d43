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
let failedAssignments = 0;
const failingFirstAssignment: PartitionAssigner = (config) => {
  const inner = PartitionAssigners.roundRobin(config);
  return {
    ...inner,
    assign: async (group) => {
      if (failedAssignments === 0) {
        failedAssignments++;
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
    // Every crash costs a session timeout: the member whose join failed stays in the group until
    // it expires, and the restarted consumer's join waits for that. The client retries what a
    // broker that just started answers (the coordinator loading), so only the simulated failure
    // crashes it; with no retries (as this test once had) those crashed it too, two or three
    // sessions in all, and on a fresh broker in CI the reader missed its 30 s.
    const plain = createKafka(
      {
        ...testKafka(),
        clientId: 'start-at',
        retry: { initialRetryTime: 100 },
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
      // The broker's minimum: the restart after the crash waits out one session.
      sessionTimeout: 6000,
      // The last four bars of the one partition that holds them.
      startAt: async (_id, topic) =>
        (await bed.admin.fetchTopicOffsets(topic))
          .filter((p) => Number(p.high) > 0)
          .map((p) => ({ partition: p.partition, offset: String(Number(p.high) - 4) })),
    });
    const crashes: boolean[] = [];
    reader.consumer.on(reader.consumer.events.CRASH, ({ payload }) => crashes.push(payload.restart));
    await reader.start(async (records) => {
      handled.push(...records.map((r) => Number(r.offset)));
    });
    await eventually(() => handled.includes(9), 45000, 'the last bar');
    expect(Math.min(...handled)).toBe(6);
    // The case this test is about happened: the consumer crashed on its join and was restarted
    // (a broker that just started may crash it once more, on a real error; it restarts too).
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes.every((restart) => restart)).toBe(true);
  });
});
