// Features: (1) the pure engine's symbol-bar updates/s for all 13 features on one core; (2) the
// snapshot step of a 250-symbol bar boundary, binary layout against JSON.stringify; (3) the
// service's bars/s through Kafka (decode, compute, produce vectors and state, commit) against a
// bare KafkaJS consume-then-produce loop over the same records with the same output volume
// (two records out per record in), on the same broker in the same run.
// `npm run bench -- features [--bars-per-symbol N]`
import { randomUUID } from 'node:crypto';
import type { Bar } from '@tickstream/contracts';
import { createMarketSimulator } from '@tickstream/marketdata';
import { TypedConsumer, createTopicsServed } from '@tickstream/platform';
import { StateChangelog } from '../../services/features/src/changelog';
import { createBarsHandler } from '../../services/features/src/handler';
import { FeatureProcessor } from '../../services/features/src/processor';
import { kafkaTestbed, silentLog, typedProducer } from '../../test/support/kafka';
import { benchLine, printTable } from '../support/report';
import { benchPureFeatures, benchStateEncoding } from './pure';
import { arg } from '../support/cli';

async function main() {
  const pure = await benchPureFeatures({ symbols: 500, bars: 2000 });
  const encoding = benchStateEncoding();

  const symbols = Array.from({ length: 100 }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const perSymbol = arg('bars-per-symbol', 300);
  const start = Date.UTC(2026, 10, 2, 14, 30);
  const sim = createMarketSimulator({ seed: 3, symbols, startTime: start, barIntervalMs: 60_000 });
  const bars: Bar[] = sim
    .step(start + perSymbol * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: Date.now() }));

  const bed = await kafkaTestbed('bench-features');
  const producer = await typedProducer(bed);
  try {
    for (let i = 0; i < bars.length; i += 2000)
      await producer.send(
        'bars',
        bars.slice(i, i + 2000).map((b) => ({ key: b.symbol, value: b })),
      );
    const barsTopic = bed.names.of('bars');
    const bareOut = `${bed.prefix}bare-out`;
    await createTopicsServed(
      bed.admin,
      [bareOut, `${bareOut}-latest`].map((topic) => ({ topic, numPartitions: 6 })),
    );

    // Bare: consume the raw records and produce each to two topics, the same output volume as
    // the service's features.v1 + features.latest.v1 (its state changelog is extra work of ours).
    const bare = bed.kafka.consumer({ groupId: `bare-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await bare.connect();
    await bare.subscribe({ topic: barsTopic, fromBeginning: true });
    let bareSeen = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      void bare.run({
        eachBatch: async ({ batch }) => {
          const messages = batch.messages.map((m) => ({ key: m.key, value: m.value }));
          await bed.producer.sendBatch({
            acks: -1,
            topicMessages: [
              { topic: bareOut, messages },
              { topic: `${bareOut}-latest`, messages },
            ],
          });
          bareSeen += batch.messages.length;
          if (bareSeen >= bars.length) resolve();
        },
      });
    });
    const bareSec = (performance.now() - t0) / 1000;
    await bare.disconnect();

    // The service's path, in process: TypedConsumer -> FeatureProcessor -> vectors + state.
    const changelog = new StateChangelog({
      kafka: bed.kafka,
      admin: bed.admin,
      topic: bed.names.of('featuresState'),
      instanceId: randomUUID(),
      log: silentLog,
    });
    await changelog.start();
    const processor = new FeatureProcessor((s) => changelog.get(s));
    // As the service does: the latest vectors and the state on a producer of their own.
    const trailingProducer = await typedProducer(bed);
    const handle = createBarsHandler({ processor, producer, trailingProducer, changelog });
    const consumer = new TypedConsumer({
      kafka: bed.kafka,
      codec: bed.codec,
      names: bed.names,
      groupId: `features-bench-${randomUUID()}`,
      topics: ['bars'],
      deadLetters: bed.producer,
      log: silentLog,
    });
    let seen = 0;
    const t1 = performance.now();
    await new Promise<void>((resolve) => {
      void consumer.start(async (records) => {
        await handle(records.map((r) => r.value));
        seen += records.length;
        if (seen >= bars.length) resolve();
      });
    });
    const oursSec = (performance.now() - t1) / 1000;
    await consumer.stop();
    await changelog.stop();
    await trailingProducer.disconnect();

    const bareRate = bars.length / bareSec;
    const oursRate = bars.length / oursSec;
    printTable([
      ['measure', 'count', 'seconds', 'per second'],
      [
        `pure engine (${pure.symbols} symbols x ${pure.bars} bars)`,
        pure.updates,
        pure.elapsedMs / 1000,
        pure.updatesPerSec,
      ],
      ['bare consume-then-produce (KafkaJS)', bars.length, bareSec, bareRate],
      ['features service path', bars.length, oursSec, oursRate],
    ]);
    console.log(
      `\nsnapshot step of one bar boundary, ${encoding.symbols} warm engines, mean of ${encoding.rounds}:`,
    );
    printTable([
      ['layout', 'ms per boundary', 'bytes per symbol'],
      ['JSON.stringify of the snapshot (before)', encoding.jsonMsPerBoundary, encoding.jsonBytesPerSymbol],
      ['binary (FeatureEngine.encode)', encoding.binaryMsPerBoundary, encoding.binaryBytesPerSymbol],
    ]);
    benchLine('features', {
      pure_updates_per_s: pure.updatesPerSec,
      bars: bars.length,
      bars_per_s: oursRate,
      bare_bars_per_s: bareRate,
      ratio: oursRate / bareRate,
      snapshot_json_ms: encoding.jsonMsPerBoundary,
      snapshot_binary_ms: encoding.binaryMsPerBoundary,
      // How many times faster than the JSON.stringify baseline (above 1 is faster).
      snapshot_ratio: encoding.jsonMsPerBoundary / encoding.binaryMsPerBoundary,
      snapshot_bytes_ratio: encoding.binaryBytesPerSymbol / encoding.jsonBytesPerSymbol,
    });
  } finally {
    await producer.disconnect();
    await bed.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
