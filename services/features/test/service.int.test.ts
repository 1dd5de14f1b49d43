import type { Bar, FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { computeFeatureSeries } from '@tickstream/indicators';
import { createMarketSimulator } from '@tickstream/marketdata';
import type { TypedProducer } from '@tickstream/platform';
import { eventually } from '../../../test/support/env';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { kafkaTestbed, readAll, typedProducer } from '../../../test/support/kafka';
import type { ServiceProcess } from '../../../test/support/service-process';
import { startService } from '../../../test/support/service-process';

const SYMBOLS = ['AAPL', 'MSFT', 'TSLA'];

function simulatedBars(count: number): Bar[] {
  const sim = createMarketSimulator({
    seed: 11,
    symbols: SYMBOLS,
    startTime: Date.UTC(2026, 10, 2, 14, 30),
    barIntervalMs: 60_000,
  });
  const bars = sim
    .step(Date.UTC(2026, 10, 2, 14, 30) + count * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: Date.now() }));
  return bars;
}

describe('features service through the real broker', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('features');
    producer = await typedProducer(bed);
  });

  afterAll(async () => {
    await service?.stop();
    await producer.disconnect();
    await bed.close();
  });

  const records = async (topic: 'features' | 'featuresLatest') =>
    (await bed.admin.fetchTopicOffsets(bed.names.of(topic))).reduce((n, p) => n + Number(p.high), 0);

  /** Waits until `topic` holds at least `atLeast` records and stops growing, then decodes them all. */
  async function settledVectors(
    topic: 'features' | 'featuresLatest',
    atLeast: number,
  ): Promise<FeatureVector[]> {
    let last = -1;
    const count = await eventually(
      async () => {
        const n = await records(topic);
        const settled = n >= atLeast && n === last;
        last = n;
        if (!settled) await new Promise((r) => setTimeout(r, 1000));
        return settled ? n : undefined;
      },
      60000,
      `${topic} to settle`,
    );
    const msgs = await readAll(bed.kafka, bed.names.of(topic), count, 30000);
    return Promise.all(msgs.map((m) => bed.codec.decode(topic, m.value)));
  }

  it('turns bars into the vectors of an uninterrupted run, across a SIGKILL mid-stream, and keeps the latest per symbol', async () => {
    const bars = simulatedBars(120);
    const send = (list: Bar[]) =>
      producer.send(
        'bars',
        list.map((b) => ({ key: b.symbol, value: b })),
      );
    const expected = new Map<string, FeatureVector['bar_time'][]>();
    const reference = new Map<string, number[]>();
    for (const s of SYMBOLS) {
      const rows = computeFeatureSeries(bars.filter((b) => b.symbol === s));
      expected.set(
        s,
        rows.map((r) => r.barTime),
      );
      for (const r of rows) reference.set(`${s}@${r.barTime}`, r.features);
    }
    const total = [...expected.values()].reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThan(200);

    const env = { TOPIC_PREFIX: bed.prefix };
    service = await startService('features', env);
    const half = Math.floor(bars.length / 2);
    await send(bars.slice(0, half));
    // Crash while it is working through the first half, then resume.
    await eventually(async () => (await records('features')) > 20, 30000, 'some vectors');
    await service.kill();
    await send(bars.slice(half, half + 30));
    service = await startService('features', env);
    await send(bars.slice(half + 30));

    const vectors = await settledVectors('features', total);
    // Redelivery after the crash may publish a vector again; a repeat must be identical.
    const byKey = new Map<string, FeatureVector>();
    for (const v of vectors) {
      const key = `${v.symbol}@${v.bar_time}`;
      const prior = byKey.get(key);
      if (prior) expect(FEATURE_NAMES.map((n) => v[n])).toEqual(FEATURE_NAMES.map((n) => prior[n]));
      byKey.set(key, v);
    }
    for (const s of SYMBOLS) {
      const times = vectors.filter((v) => v.symbol === s).map((v) => v.bar_time);
      expect([...new Set(times)]).toEqual(expected.get(s)); // every bar once, in order
    }
    for (const [key, v] of byKey) {
      // Bit-identical to the uninterrupted run: Object.is on every feature.
      const ref = reference.get(key)!;
      FEATURE_NAMES.forEach((n, i) => expect(Object.is(v[n], ref[i])).toBe(true));
    }
    expect(
      vectors.every(
        (v) =>
          v.bar_ingest_time > 0 && v.computed_time >= v.bar_ingest_time && v.feature_set_version === 'fs1',
      ),
    ).toBe(true);

    const latest = await settledVectors('featuresLatest', total);
    for (const s of SYMBOLS) {
      const newest = latest.filter((v) => v.symbol === s).at(-1)!;
      expect(newest.bar_time).toBe(expected.get(s)!.at(-1));
    }
  }, 180000);
});
