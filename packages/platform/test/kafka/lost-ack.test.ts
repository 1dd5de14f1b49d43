import net from 'node:net';
import type { Producer } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { createReliableProducer } from '@tickstream/platform';
import { TEST_ENV, testKafka, uniquePrefix } from '../../../../test/support/env';
import { readAll, scratchTopic } from '../../../../test/support/kafka';
import type { Relay } from '../../../../test/support/relay';
import { tcpRelay } from '../../../../test/support/relay';

// A produce request that the broker writes but whose acknowledgement is lost (a timeout, a
// connection cut mid-request). KafkaJS's idempotent producer then rolls its sequence numbers
// back, and the broker takes the next batch of as many records for a retry of the written one:
// it acknowledges it and drops it. The reliable producer must not lose that next batch.
describe('reliable producer after a write whose acknowledgement was lost', () => {
  let relay: Relay;
  let kafka: Kafka;
  let dropTopic: (() => Promise<void>) | undefined;
  let producer: Producer | undefined;
  const topic = `${uniquePrefix('lost-ack')}records`;

  beforeAll(async () => {
    const [host, port] = TEST_ENV.KAFKA_BROKERS.split(',')[0]!.split(':');
    relay = await tcpRelay(new URL(`tcp://${host}:${port}`));
    const relayPort = Number(new URL(relay.url).port);
    // The broker advertises its own address, so every connection is routed through the relay.
    kafka = new Kafka({
      ...testKafka(),
      brokers: [`127.0.0.1:${relayPort}`],
      clientId: 'test-lost-ack',
      requestTimeout: 1000,
      retry: { retries: 2, initialRetryTime: 100 },
      logLevel: logLevel.NOTHING,
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: relayPort }, onConnect),
    });
    dropTopic = await scratchTopic(kafka, topic, 1);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dropTopic?.();
    await relay.close();
  });

  it('writes every record it acknowledges', async () => {
    producer = createReliableProducer(kafka);
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'first' }] });
    relay.mode = 'mute';
    await expect(producer.send({ topic, messages: [{ value: 'A' }] })).rejects.toThrow();
    relay.mode = 'up';
    await producer.send({ topic, messages: [{ value: 'B' }] });
    const values = (
      await readAll(kafka, topic, (m) => m.some((r) => r.value?.toString() === 'B'), 15000)
    ).map((m) => m.value?.toString());
    // A may be there (its request was written); B must be, since it was acknowledged.
    expect(values).toContain('B');
  });
});
