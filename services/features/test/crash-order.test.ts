import { randomUUID } from 'node:crypto';
import type { Bar, FeatureVector } from '@tickstream/contracts';
import { createMarketSimulator } from '@tickstream/marketdata';
import { decodeEngineState } from '@tickstream/indicators';
import type { TypedProducer } from '@tickstream/platform';
import { StateChangelog } from '../src/changelog';
import { createBarsHandler } from '../src/handler';
import { FeatureProcessor } from '../src/processor';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { kafkaTestbed, readAll, silentLog, typedProducer } from '../../../test/support/kafka';

const START = Date.UTC(2026, 10, 2, 14, 30);

/** 40 one-minute bars of each symbol (the engine emits from the 34th), in time order. */
function simulatedBars(symbols: string[]): Bar[] {
  const sim = createMarketSimulator({ seed: 3, symbols, startTime: START, barIntervalMs: 60_000 });
  return sim
    .step(START + 40 * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: Date.now() }));
}

type Sender = Pick<TypedProducer, 'encode' | 'sendBatch'>;

/**
 * The producer of a process that dies at its `n`th request: before sending it, or once the broker
 * has acknowledged it (the process is gone before it learns more). A send the handler had
 * already started meanwhile goes on, as it would in the broker's hands.
 */
function dyingAt(real: TypedProducer, n: number, when: 'before' | 'after'): Sender {
  let requests = 0;
  return {
    encode: (id, records) => real.encode(id, records),
    sendBatch: async (batches) => {
      requests++;
      if (requests === n && when === 'before') throw new Error('crashed');
      await real.sendBatch(batches);
      if (requests === n && when === 'after') throw new Error('crashed');
    },
  };
}

/**
 * Crash-recovery of the features batch against the real broker: a process killed around any of
 * the batch's requests, then a new instance taking the uncommitted batch again from the saved
 * state, must leave every bar's vector in features.v1, each symbol's newest vector in the
 * compacted features.latest.v1 and its state in the changelog. A state saved ahead of output not
 * yet acknowledged would make the redo take the bars as duplicates and write nothing.
 */
describe('features batch: a crash around any request loses nothing', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const stateTopic = () => bed.names.of('featuresState');

  beforeAll(async () => {
    bed = await kafkaTestbed('featcrash');
    producer = await typedProducer(bed);
  });

  afterAll(async () => {
    await producer.disconnect();
    await bed.close();
  });

  /** A features instance as the service builds it, its changelog read up to date. */
  async function instance() {
    const changelog = new StateChangelog({
      kafka: bed.kafka,
      admin: bed.admin,
      topic: stateTopic(),
      instanceId: randomUUID(),
      log: silentLog,
    });
    await changelog.start();
    const processor = new FeatureProcessor((symbol) => changelog.get(symbol));
    const handler = (sender: Sender) =>
      createBarsHandler({ processor, producer: sender, trailingProducer: sender, changelog });
    return { changelog, handler };
  }

  const readVectors = async (topic: 'features' | 'featuresLatest'): Promise<FeatureVector[]> => {
    const offsets = await bed.admin.fetchTopicOffsets(bed.names.of(topic));
    const count = offsets.reduce((n, p) => n + Number(p.high), 0);
    const msgs = await readAll(bed.kafka, bed.names.of(topic), count, 30000);
    // Per partition in offset order: a symbol's records are in one partition.
    msgs.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
    return Promise.all(msgs.map((m) => bed.codec.decode(topic, m.value)));
  };

  const cases = [1, 2, 3, 4].flatMap((n) => (['before', 'after'] as const).map((when) => ({ n, when })));

  it('at every request of the batch, before it is sent or once it is acknowledged', async () => {
    const lastBars = new Map<string, Bar[]>();
    for (const { n, when } of cases) {
      const symbols = [`C${n}${when[0]!.toUpperCase()}X`, `C${n}${when[0]!.toUpperCase()}Y`];
      const bars = simulatedBars(symbols);
      const last = bars.slice(-symbols.length);
      for (const s of symbols)
        lastBars.set(
          s,
          last.filter((b) => b.symbol === s),
        );

      const first = await instance();
      await first.handler(producer)(bars.slice(0, -symbols.length));
      // The bar boundary's batch dies with the process: its offsets are never committed.
      await first
        .handler(dyingAt(producer, n, when))(last)
        .catch((err: Error) => expect(err.message).toBe('crashed'));
      await first.changelog.stop();

      const second = await instance();
      await second.handler(producer)(last);
      await second.changelog.stop();
    }

    const vectors = await readVectors('features');
    const latest = await readVectors('featuresLatest');
    const state = await instance();
    for (const [symbol, [bar]] of lastBars) {
      const at = `${symbol}@${bar!.start_time}`;
      expect([at, vectors.some((v) => v.symbol === symbol && v.bar_time === bar!.start_time)]).toEqual([
        at,
        true,
      ]);
      expect([at, latest.filter((v) => v.symbol === symbol).at(-1)?.bar_time]).toEqual([at, bar!.start_time]);
      const saved = state.changelog.get(symbol);
      expect([at, saved && decodeEngineState(saved).snapshot().lastBar?.start_time]).toEqual([
        at,
        bar!.start_time,
      ]);
    }
    await state.changelog.stop();
  }, 240000);
});
