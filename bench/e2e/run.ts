// The e2e bench itself (bench/e2e/main.ts parses the arguments and starts the cluster first when
// asked: the test support reads KAFKA_BROKERS when it is loaded, which is when this module is).
import { randomUUID } from 'node:crypto';
import type { Hop } from '../support/metrics';
import { hopRows } from '../support/metrics';
import { benchLine, printTable } from '../support/report';
import { runBare, runBareBursts } from './bare';
import { startStack, symbolSet } from './stack';
import type { PredictionTap, StepResult } from './step';
import { runStep } from './step';

export interface E2eOptions {
  rates: number[];
  symbols: number[];
  clients: number;
  perClient: number;
  seconds: number;
  barMs: number;
  interval: string;
  warmup: number;
  ingestMaxBatch: string;
  /** The gateway's MARKET_FETCH_MIN_BYTES and MARKET_FETCH_MAX_WAIT_MS ('' for its defaults). */
  fetchMinBytes: string;
  fetchMaxWait: string;
  /** The publisher's lanes and linger (INGEST_PRODUCERS, INGEST_LINGER_MS); '' keeps the service's default. */
  ingestProducers: string;
  ingestLingerMs: string;
  /** sim: the ingest service and its simulator write the md topics; producer: bench/e2e/driver.ts does. */
  driver: 'sim' | 'producer';
  driverProducers: number;
  /** Instances each of features, inference and gateway. */
  replicas: number;
  /** On the three-node cluster (replication 3, min.insync.replicas 2) rather than the single broker. */
  cluster: boolean;
}

function printStep(r: StepResult): void {
  const c = r.config;
  const source = c.driver === 'sim' ? `sim speed ${r.speed.toFixed(2)}x` : 'driver';
  console.log(
    `\n== ${c.rate} records/s target over ${c.symbols} symbols (${source}, ${c.clients} clients x ${c.perClient} symbols, ${c.seconds} s) ==`,
  );
  printTable([
    // GCs of a service's replicas summed, on the row of its first instance (named as the service).
    ['service', 'CPU %', 'CPU µs/md record', 'GCs', 'GC ms', 'RSS MB'],
    ...r.services.map((s) => {
      const gc = r.gc[s.name];
      return [s.name, s.cpuPct, s.cpuUsPerRecord, gc?.collections ?? '', gc ? gc.seconds * 1000 : '', s.rssMb];
    }),
  ]);
  console.log('');
  printTable([
    ['group', 'input/s', 'lag start', 'lag end', 'lag max', 'lag slope/s', 'growing'],
    ...(['features', 'inference'] as const).map((g) => {
      const l = r.lag[g];
      return [g, l.inputPerSec, l.start, l.end, l.max, l.slopePerSec, l.growing ? 'YES' : 'no'];
    }),
    ['gateway (diagnostic)', r.achievedRate, r.gatewayLag.start, r.gatewayLag.end, r.gatewayLag.max, '', ''],
  ]);
  console.log(
    `\nachieved ${r.achievedRate.toFixed(0)} records/s (${r.records} records, ${r.ingestDropped} dropped by ingest); tick-to-client p50 ${r.tickP50} ms p99 ${r.tickP99} ms over ${r.ticksDelivered} deliveries; ` +
      `feature-to-prediction p50 ${r.featPredP50} ms p99 ${r.featPredP99} ms over ${r.predictions} predictions; held: ${r.held ? 'yes' : 'NO'}`,
  );
  console.log('');
  printTable(hopRows(r.hops));
}

/** BENCH keys of the hops a tick takes: `<key>_p50_ms`, `<key>_p99_ms`. */
const HOP_KEYS: readonly [number, string][] = [
  [0, 'publish'],
  [1, 'md_to_gateway'],
  [2, 'emit'],
  [3, 'hold'],
];

/** CPU µs and GCs per md record of the services on the tick's way, for the BENCH line. */
function costValues(r: StepResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['ingest', 'gateway']) {
    const svc = r.services.find((s) => s.name === name);
    const gc = r.gc[name];
    if (svc) out[`${name}_cpu_us_per_record`] = svc.cpuUsPerRecord;
    if (gc && r.records > 0) {
      out[`${name}_gc_per_1k_records`] = (gc.collections * 1000) / r.records;
      out[`${name}_gc_ms_per_1k_records`] = (gc.seconds * 1e6) / r.records;
    }
  }
  if (r.gatewayFetches > 0) out.gateway_records_per_fetch = r.records / r.gatewayFetches;
  return out;
}

function hopValues(hops: readonly Hop[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [i, key] of HOP_KEYS) {
    const h = hops[i];
    if (!h || h.n === 0) continue;
    out[`${key}_p50_ms`] = h.p50Ms;
    out[`${key}_p99_ms`] = h.p99Ms;
  }
  return out;
}

export async function runE2e(o: E2eOptions): Promise<void> {
  const started = Date.now();
  const replicationFactor = o.cluster ? 3 : 1;
  const stack = await startStack(
    'bench-e2e',
    {
      gateway: {
        MARKET_UPDATE_INTERVAL: o.interval,
        ...(o.fetchMinBytes ? { MARKET_FETCH_MIN_BYTES: o.fetchMinBytes } : {}),
        ...(o.fetchMaxWait ? { MARKET_FETCH_MAX_WAIT_MS: o.fetchMaxWait } : {}),
      },
    },
    { replicas: o.replicas, replicationFactor },
  );
  const { kafka, codec, names } = stack.bed;
  const tap: PredictionTap = {
    consumer: kafka.consumer({ groupId: `${stack.bed.prefix}bench-predictions`, maxWaitTimeInMs: 50 }),
    latencies: [],
    recording: false,
  };
  const results: StepResult[] = [];
  try {
    await tap.consumer.connect();
    await tap.consumer.subscribe({ topic: names.of('predictions'), fromBeginning: false });
    await tap.consumer.run({
      eachBatch: async ({ batch }) => {
        if (!tap.recording) return;
        for (const m of batch.messages)
          tap.latencies.push((await codec.decode('predictions', m.value)).latency_ms);
      },
    });
    for (const [i, rate] of o.rates.entries()) {
      const symbols = o.symbols[i] ?? o.symbols[o.symbols.length - 1]!;
      const r = await runStep(stack, tap, {
        tag: `E${String.fromCharCode(65 + i)}`,
        rate,
        symbols,
        clients: o.clients,
        perClient: o.perClient,
        seconds: o.seconds,
        barIntervalMs: o.barMs,
        warmupMaxSec: o.warmup,
        ingestEnv: {
          ...(o.ingestMaxBatch ? { INGEST_MAX_BATCH: o.ingestMaxBatch } : {}),
          ...(o.ingestProducers ? { INGEST_PRODUCERS: o.ingestProducers } : {}),
          ...(o.ingestLingerMs ? { INGEST_LINGER_MS: o.ingestLingerMs } : {}),
        },
        driver: o.driver,
        driverProducers: o.driverProducers,
      });
      results.push(r);
      printStep(r);
    }
    await tap.consumer.disconnect();

    // Same record count as the largest step, same encoded records, same broker, right after.
    const largest = results.reduce((a, b) => (b.records > a.records ? b : a));
    const bare = await runBare(
      kafka,
      codec,
      `${stack.bed.prefix}bench-bare-${randomUUID().slice(0, 6)}`,
      symbolSet('BR', largest.config.symbols),
      o.barMs,
      largest.records,
      replicationFactor,
    );

    // The step whose figures the BENCH line carries: the highest that held, else the first.
    const held = results.filter((r) => r.held);
    const best =
      held.length > 0 ? held.reduce((a, b) => (b.achievedRate > a.achievedRate ? b : a)) : results[0]!;
    const maxRate = held.length > 0 ? best.achievedRate : 0;
    // Its bar boundary's hop from features to inference, done by bare KafkaJS on the same broker.
    const bursts = await runBareBursts(
      kafka,
      codec,
      `${stack.bed.prefix}bench-bursts-${randomUUID().slice(0, 6)}`,
      symbolSet('BB', best.config.symbols),
      { bursts: 30, gapMs: 400, replicationFactor },
    );

    console.log('\n== summary ==');
    printTable([
      [
        'target/s',
        'symbols',
        'achieved/s',
        'tick p50',
        'tick p99',
        'feat->pred p50',
        'feat->pred p99',
        'features lag end',
        'inference lag end',
        'gateway lag end',
        'held',
      ],
      ...results.map((r) => [
        r.config.rate,
        r.config.symbols,
        r.achievedRate,
        r.tickP50,
        r.tickP99,
        r.featPredP50,
        r.featPredP99,
        r.lag.features.end,
        r.lag.inference.end,
        r.gatewayLag.end,
        r.held ? 'yes' : 'NO',
      ]),
    ]);
    for (const r of results) {
      console.log(`\nper hop at ${r.config.rate} records/s (${r.held ? 'held' : 'not held'}):`);
      printTable(hopRows(r.hops));
    }
    console.log(
      `\nbare KafkaJS: ${bare.records} records of ${bare.avgBytes.toFixed(0)} B (key + Avro value), one producer (acks=all, batches of 1000) and one consumer: ` +
        `${bare.msgsPerSec.toFixed(0)} msgs/s, produce-to-consume p50 ${bare.p50Ms} ms p99 ${bare.p99Ms} ms`,
    );
    console.log(
      `bare KafkaJS bursts: ${bursts.bursts} bursts of ${bursts.perBurst} feature vectors (${bursts.avgBytes.toFixed(0)} B with key) in one send each, ` +
        `one consumer of six partitions at once: send -> eachBatch p50 ${bursts.p50Ms.toFixed(1)} ms p99 ${bursts.p99Ms.toFixed(1)} ms ` +
        `(feature -> prediction at ${best.config.rate}/s: p50 ${best.featPredP50} ms p99 ${best.featPredP99} ms)`,
    );
    console.log(
      `${o.replicas} instance(s) each of features, inference and gateway, on ${o.cluster ? 'the three-node cluster (replication 3)' : 'one broker'}; ` +
        `gateway conflation interval ${o.interval} ms (part of tick-to-client); ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
    );
    // The ratio is a lower bound when the highest step held: the steps, not the pipeline, set the rate.
    // Hops of the highest held step, then tick-to-client at every step (the targets name a rate).
    benchLine('e2e', {
      driver: o.driver,
      replicas: o.replicas,
      cluster: o.cluster ? 1 : 0,
      max_rate: Math.round(maxRate),
      tick_p50_ms: best.tickP50,
      tick_p99_ms: best.tickP99,
      ...hopValues(best.hops),
      ...costValues(best),
      feat_pred_p50_ms: best.featPredP50,
      feat_pred_p99_ms: best.featPredP99,
      bare_msgs_per_s: Math.round(bare.msgsPerSec),
      ratio: maxRate / bare.msgsPerSec,
      bare_burst_p50_ms: bursts.p50Ms,
      bare_burst_p99_ms: bursts.p99Ms,
      // Feature -> prediction (a hop plus compute and scoring) against bare KafkaJS's hop alone.
      feat_pred_ratio: best.featPredP99 / bursts.p99Ms,
      ...Object.fromEntries(
        results.flatMap((r) => [
          [`tick_p50_ms_at_${r.config.rate}`, r.tickP50],
          [`tick_p99_ms_at_${r.config.rate}`, r.tickP99],
        ]),
      ),
    });
  } finally {
    await tap.consumer.disconnect().catch(() => undefined);
    await stack.close();
  }
}
