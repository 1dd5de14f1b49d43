import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import { createReliableProducer } from '@tickstream/platform';
import { testKafka, uniquePrefix } from '../../../../test/support/env';
import { readAll, scratchTopic } from '../../../../test/support/kafka';

// An idempotent producer sends one request at a time. Sends made in one turn of the event loop
// or while a request is out (a consumer handling several partitions at once, each publishing its
// results) must not each wait for a round trip of their own in turn: they go together as one
// request, each resolving when it is acknowledged, and a partition's records stay in call order.
describe('reliable producer, sends made together or while a request is out', () => {
  let kafka: Kafka;
  let dropTopic: (() => Promise<void>) | undefined;
  let producer: Producer | undefined;
  const requests: ProducerBatch[] = [];
  const topic = `${uniquePrefix('coalesce')}records`;

  beforeAll(async () => {
    const real = new KafkaClient({ ...testKafka(), clientId: 'test-coalesce', logLevel: logLevel.NOTHING });
    // The same client, but each produce request the reliable producer makes is recorded.
    kafka = Object.create(real) as Kafka;
    kafka.producer = (config) => {
      const p = real.producer(config);
      const sendBatch = p.sendBatch.bind(p);
      p.sendBatch = (batch) => {
        requests.push(batch);
        return sendBatch(batch);
      };
      return p;
    };
    dropTopic = await scratchTopic(real, topic, 3);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dropTopic?.();
  });

  it('go out together in one request, in call order', async () => {
    producer = createReliableProducer(kafka);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'warm', value: 'up' }] });
    requests.length = 0;

    // Six partitions' results of one burst, sent in the same turn: one request.
    const sends = Array.from({ length: 6 }, (_, i) =>
      producer!.sendBatch({
        topicMessages: [{ topic, messages: [0, 1].map((j) => ({ key: `k${j}`, value: `${i}.${j}` })) }],
      }),
    );
    const answers = await Promise.all(sends);
    expect(requests.map((r) => r.topicMessages!.flatMap((t) => t.messages).length)).toEqual([12]);

    // One send goes out; three made while it is out wait for it, then go as one.
    const alone = producer.send({ topic, messages: [{ key: 'k0', value: '6.0' }] });
    while (requests.length < 2) await new Promise((r) => setImmediate(r));
    const behind = [7, 8, 9].map((i) =>
      producer!.send({ topic, messages: [{ key: 'k0', value: `${i}.0` }] }),
    );
    await Promise.all([alone, ...behind]);
    expect(requests.map((r) => r.topicMessages!.flatMap((t) => t.messages).length)).toEqual([12, 1, 3]);

    for (const a of answers) expect(a.length).toBeGreaterThan(0);
    const values = (await readAll(kafka, topic, 17)).filter((m) => m.key?.toString() !== 'warm');
    const valuesOf = (key: string) =>
      values.filter((m) => m.key?.toString() === key).map((m) => m.value?.toString());
    expect(valuesOf('k0')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `${i}.0`));
    expect(valuesOf('k1')).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${i}.1`));
  });
});
