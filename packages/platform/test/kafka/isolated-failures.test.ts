import type { Kafka, Producer } from 'kafkajs';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import { createReliableProducer } from '@tickstream/platform';
import { kafkaLogin, testKafka } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, readAll } from '../../../../test/support/kafka';

// Sends made together go as one request (coalesced-sends.test.ts). One the broker refuses (here a
// topic the service's user may not write, by ACL) must fail alone: failing the request's other
// sends with it would fail them on every retry too, for as long as the bad send is retried.
const secured = kafkaLogin().KAFKA_SASL_USERNAME !== undefined;

(secured ? describe : describe.skip)('reliable producer, a merged send the broker refuses', () => {
  let bed: KafkaTestbed;
  let inference: Kafka;
  let producer: Producer | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('isolated');
    // The inference service's user: it writes predictions, reads features (so may describe that
    // topic) but may not write it, and may not even describe bars.
    inference = new KafkaClient({
      ...testKafka('inference'),
      clientId: 'test-isolated',
      logLevel: logLevel.NOTHING,
    });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await bed.close();
  });

  it('fails only the send at fault, not those merged beside it', async () => {
    producer = createReliableProducer(inference);
    await producer.connect();
    const predictions = bed.names.of('predictions');
    await producer.send({ topic: predictions, messages: [{ key: 'AAPL', value: 'warm-up' }] });

    for (const denied of [bed.names.of('features'), bed.names.of('bars')]) {
      // In one turn: they are merged into one request.
      const [before, refused, after] = await Promise.allSettled([
        producer.send({ topic: predictions, messages: [{ key: 'AAPL', value: `before ${denied}` }] }),
        producer.send({ topic: denied, messages: [{ key: 'AAPL', value: 'not allowed' }] }),
        producer.send({ topic: predictions, messages: [{ key: 'MSFT', value: `after ${denied}` }] }),
      ] as const);
      expect(before.status).toBe('fulfilled');
      expect(after.status).toBe('fulfilled');
      expect(refused.status).toBe('rejected');
      expect(String((refused as PromiseRejectedResult).reason)).toMatch(/authoriz/i);
    }

    // Acknowledged means written (those the refused request wrote too come twice: at-least-once).
    const expected = [bed.names.of('features'), bed.names.of('bars')].flatMap((d) => [
      `before ${d}`,
      `after ${d}`,
    ]);
    const written = (m: { value: Buffer | null }[]) => new Set(m.map((r) => r.value?.toString()));
    const values = written(
      await readAll(bed.kafka, predictions, (m) => expected.every((v) => written(m).has(v))),
    );
    expect(expected.filter((v) => !values.has(v))).toEqual([]);
  });
});
