import type { Bar, FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { createMarketSimulator } from '@tickstream/marketdata';
import type { TypedProducer } from '@tickstream/platform';
import { FeatureProcessor } from '../../services/features/src/processor';
import { eventually } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll, spreadOver, survivorTakesOver, typedProducer } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'AMD', 'NVDA', 'AMZN', 'GOOG', 'META'];
const START = Date.UTC(2026, 10, 2, 14, 30);

function simulatedBars(minutes: number): Bar[] {
  const sim = createMarketSimulator({ seed: 16, symbols: SYMBOLS, startTime: START, barIntervalMs: 60_000 });
  return sim
    .step(START + minutes * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: Date.now() }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two features replicas share the `features` group. Partitions change hands twice: when the
// second replica joins (a rebalance between live members) and when one is SIGKILLed under load
// (the survivor takes its partitions after the session timeout). Each time the new owner must
// resume every symbol's engine from the state changelog, so the published vectors are those of
// one uninterrupted engine: the service's own FeatureProcessor run in-process over the same bars.
describe('features: two replicas, one SIGKILLed under load', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-features-handoff');
    producer = await typedProducer(bed);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await producer?.disconnect();
    await bed?.close();
  });

  it('publishes exactly the vectors of one uninterrupted engine: no bar missing, repeats identical', async () => {
    const bars = simulatedBars(150);
    // The oracle: the same engine, every bar, one run, no restore.
    const oracle = new FeatureProcessor(() => undefined).process(bars, Date.now()).vectors;
    const reference = new Map(oracle.map((v) => [`${v.symbol}@${v.bar_time}`, v]));
    expect(oracle.length).toBeGreaterThan(800);

    let sent = 0;
    /** Sends the next `n` bars in small batches, as a live feed would. */
    const feed = async (n: number) => {
      const end = Math.min(bars.length, sent + n);
      while (sent < end) {
        const chunk = bars.slice(sent, Math.min(end, sent + 24));
        await producer.send(
          'bars',
          chunk.map((b) => ({ key: b.symbol, value: b })),
        );
        sent += chunk.length;
        await pause(40);
      }
    };
    const vectorCount = async () =>
      (await bed.admin.fetchTopicOffsets(bed.names.of('features'))).reduce((n, p) => n + Number(p.high), 0);
    const group = bed.names.group('features');
    const topic = bed.names.of('bars');

    const env = { TOPIC_PREFIX: bed.prefix };
    replicas.push(await startService('features', env));
    await feed(300);
    // The second replica joins while the first is working: half the partitions change hands.
    const joining = startService('features', env);
    await feed(200);
    replicas.push(await joining);
    const owned = await spreadOver(bed.admin, group, topic, 2);
    await feed(200);
    await eventually(async () => (await vectorCount()) > 300, 30000, 'vectors from both replicas');

    // SIGKILL one replica while bars keep coming; the survivor takes over after the session timeout.
    const feeding = feed(bars.length);
    await pause(300);
    const killedAt = Date.now();
    await replicas[0]!.kill();
    await feeding;
    const takeover = await survivorTakesOver(bed.admin, group, topic, 6, killedAt);
    console.log(
      `features: before the kill ${JSON.stringify(owned)}; survivor owns all 6 after ${takeover} ms`,
    );

    let last = -1;
    const total = await eventually(
      async () => {
        const n = await vectorCount();
        const settled = n >= oracle.length && n === last;
        last = n;
        if (!settled) await pause(1000);
        return settled && n;
      },
      60000,
      'features.v1 to settle',
    );
    const vectors: FeatureVector[] = await Promise.all(
      (await readAll(bed.kafka, bed.names.of('features'), total, 30000)).map((m) =>
        bed.codec.decode('features', m.value),
      ),
    );
    const values = (v: FeatureVector) => FEATURE_NAMES.map((n) => v[n]);
    const seen = new Map<string, FeatureVector>();
    const differing: string[] = [];
    const unexpected: string[] = [];
    for (const v of vectors) {
      const key = `${v.symbol}@${v.bar_time}`;
      const ref = reference.get(key);
      if (!ref) unexpected.push(key);
      // Bit-identical to the uninterrupted engine: Object.is on every feature.
      else if (!FEATURE_NAMES.every((n) => Object.is(v[n], ref[n]))) differing.push(key);
      const prior = seen.get(key);
      if (prior && !values(prior).every((x, i) => Object.is(x, values(v)[i])))
        differing.push(`${key} (repeat)`);
      seen.set(key, v);
    }
    expect({ unexpected, differing }).toEqual({ unexpected: [], differing: [] });
    for (const s of SYMBOLS) {
      // Every bar once, in bar order (a partition keeps one symbol's records in order).
      const times = [...new Set(vectors.filter((v) => v.symbol === s).map((v) => v.bar_time))];
      expect({ s, times }).toEqual({ s, times: oracle.filter((v) => v.symbol === s).map((v) => v.bar_time) });
    }
    console.log(`features: ${vectors.length} vectors published for ${oracle.length} bars with features`);
  }, 180000);
});
