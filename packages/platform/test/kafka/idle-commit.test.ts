import { TypedConsumer, TypedProducer } from '@tickstream/platform';
import { eventually } from '../../../../test/support/env';
import { bar } from '../../../../test/support/records';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, silentLog } from '../../../../test/support/kafka';

// Offsets are committed at most once a second from the batches. A burst handled within that
// second and followed by silence was left uncommitted until the next record came, however long
// that took: a restart then replayed the whole burst, and the group's lag never reached zero.
describe('a consumer that goes idle after a burst', () => {
  let bed: KafkaTestbed;
  let reader: TypedConsumer<'bars'> | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('idle-commit');
  });

  afterAll(async () => {
    await reader?.stop();
    await bed.close();
  });

  it('commits what it handled within a few seconds, with no further records', async () => {
    let handled = 0;
    reader = new TypedConsumer({
      kafka: bed.kafka,
      codec: bed.codec,
      names: bed.names,
      groupId: 'idle-commit',
      topics: ['bars'],
      deadLetters: bed.producer,
      log: silentLog,
    });
    await reader.start(async (records) => {
      handled += records.length;
    });
    const producer = new TypedProducer(bed.kafka, bed.codec, bed.names);
    await producer.connect();
    await producer.send(
      'bars',
      Array.from({ length: 40 }, (_, i) => bar(`S${i % 7}`, i, 40)).map((value) => ({
        key: value.symbol,
        value,
      })),
    );
    await producer.disconnect();
    await eventually(() => handled === 40, 30000, 'the burst to be handled');

    const topic = bed.names.of('bars');
    const ends = new Map((await bed.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
    await eventually(
      async () => {
        const [committed] = await bed.admin.fetchOffsets({
          groupId: bed.names.group('idle-commit'),
          topics: [topic],
        });
        return committed!.partitions.every(
          (p) => p.offset === (ends.get(p.partition) === '0' ? '-1' : ends.get(p.partition)),
        );
      },
      10000,
      'the committed offsets to reach the end of every partition',
    );
  });
});
