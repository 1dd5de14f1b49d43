import type { Bar } from '@tickstream/contracts';
import { TEST_ENV, testKafka } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, silentLog, typedProducer } from '../../../../test/support/kafka';
import { loadBars, simulatedBars } from '../../src/training/bar-sources';

describe('training bars from md.bars.v1', () => {
  let bed: KafkaTestbed;

  beforeAll(async () => {
    bed = await kafkaTestbed('train-topic');
  });
  afterAll(() => bed?.close());

  const source = () => ({
    kind: 'topic' as const,
    // As `npm run train -- --topic` runs: the quant user, under its ACLs.
    ...testKafka('quant'),
    registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL,
    topicPrefix: bed.prefix,
  });

  it('reads every bar from the beginning to the end the topic had, per symbol in order', async () => {
    const bars = simulatedBars({
      kind: 'sim',
      symbols: ['AAPL', 'MSFT', 'TSLA'],
      bars: 150,
      seed: 4,
      intervalMs: 5000,
      startTime: Date.UTC(2026, 0, 5, 14, 30),
    });
    const all: Bar[] = [...bars.values()].flat();
    const producer = await typedProducer(bed);
    await producer.send(
      'bars',
      all.map((b) => ({ key: b.symbol, value: b })),
    );
    await producer.disconnect();

    const read = await loadBars(source(), silentLog);
    expect([...read.keys()].sort()).toEqual(['AAPL', 'MSFT', 'TSLA']);
    for (const [symbol, list] of bars) expect(read.get(symbol)).toEqual(list);
  });

  it('says which topic is missing instead of retrying', async () => {
    await expect(
      loadBars({ ...source(), topicPrefix: `${bed.prefix}missing.` }, silentLog),
    ).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
  });
});
