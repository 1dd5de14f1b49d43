import type { Bar } from '@tickstream/contracts';
import { AvroCodec, DLQ_HEADERS, TypedConsumer } from '@tickstream/platform';
import { TEST_ENV, eventually } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, readAll, silentLog } from '../../../../test/support/kafka';
import type { Relay } from '../../../../test/support/relay';
import { tcpRelay } from '../../../../test/support/relay';

describe('typed consumer when the schema registry goes away mid-batch', () => {
  let bed: KafkaTestbed;
  let consumer: TypedConsumer<'bars'> | undefined;
  let relay: Relay;

  beforeAll(async () => {
    bed = await kafkaTestbed('registry-outage');
    relay = await tcpRelay(new URL(TEST_ENV.SCHEMA_REGISTRY_URL), 'refuse');
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay.close();
    await bed.close();
  });

  it('retries the record it could not decode, keeps what came before, and writes no dead letter twice', async () => {
    const topic = bed.names.of('bars');
    const good: Bar = {
      symbol: 'AMD',
      start_time: Date.UTC(2026, 10, 2, 14, 30),
      interval_ms: 60000,
      open: 150,
      high: 151,
      low: 149,
      close: 150.5,
      volume: 1200,
      trade_count: 12,
      vwap: 150.2,
      is_update: false,
      ingest_time: Date.now(),
      source: 'sim',
    };
    // Encoded through the testbed's codec; the consumer's own codec (behind the relay) has not
    // seen this schema id, so it must ask the registry for it.
    await bed.producer.send({
      topic,
      messages: [
        { key: 'AMD', value: Buffer.from('not avro at all') },
        { key: 'AMD', value: await bed.codec.encode('bars', good) },
      ],
    });

    const got: Bar[] = [];
    let deadLettered = 0;
    consumer = new TypedConsumer({
      kafka: bed.kafka,
      codec: new AvroCodec({ registryUrl: relay.url, topics: bed.names }),
      names: bed.names,
      groupId: 'outage',
      topics: ['bars'],
      deadLetters: bed.producer,
      log: silentLog,
      hooks: { onDeadLetter: () => void deadLettered++ },
    });
    await consumer.start(async (records) => {
      got.push(...records.map((r) => r.value));
    });

    await eventually(() => deadLettered >= 1, 20000, 'the malformed record dead-lettered');
    // The registry stays away long enough for the batch to fail and be retried at least once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(got).toEqual([]);
    relay.mode = 'up';
    await eventually(() => got.length >= 1, 30000, 'the good record once the registry is back');
    expect(got).toEqual([good]);

    // Everything this group dead-lettered was written before the good record was handled.
    const dlq = bed.names.of('deadLetters');
    const ends = await bed.admin.fetchTopicOffsets(dlq);
    const total = ends.reduce((n, p) => n + Number(p.high), 0);
    const all = await readAll(bed.kafka, dlq, total);
    const mine = all.filter((m) => String(m.headers?.[DLQ_HEADERS.group]) === bed.names.group('outage'));
    expect(mine.map((m) => String(m.headers?.[DLQ_HEADERS.reasonCode]))).toEqual(['BAD_MAGIC_BYTE']);
    expect(deadLettered).toBe(1);
  });
});
