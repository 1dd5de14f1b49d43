// Inference: (1) the service's scoring path (toRows + ModelHolder.score) against bare
// onnxruntime-node session.run on the same model and rows in the same run, per batch size;
// (2) feature-to-prediction latency through Kafka with the built service scoring a steady stream.
// `npm run bench -- inference [--vectors N] [--rate PER_SEC] [--burst SYMBOLS --every MS]`
// (after `npx tsc -b`). --burst: bar boundaries instead of a steady stream, as the features
// service publishes them: every MS, one request with the next bar's vector of each of SYMBOLS.
import path from 'node:path';
import { benchLine, printTable } from '../support/report';
import { benchKafkaLatency } from './kafka-latency';
import { benchScoring } from './scoring';
import { benchVectors } from './vectors';
import { arg } from '../support/cli';

const MODEL = path.resolve(__dirname, '../../models/default/model.onnx');
const SERVICE_BATCH = 256; // INFERENCE_BATCH_MAX's default

/** `count` vectors of `symbols` symbols, bar after bar (each bar's vectors of every symbol together). */
function barBoundaries(symbols: number, count: number) {
  const names = Array.from({ length: symbols }, (_, i) => `S${String(i).padStart(3, '0')}`);
  return benchVectors(names, Math.ceil(count / symbols) + 40)
    .sort((a, b) => a.bar_time - b.bar_time)
    .slice(0, count);
}

async function main() {
  const symbols = ['SPY', 'QQQ', 'AAPL', 'TSLA', 'NVDA', 'MSFT', 'GOOGL', 'META', 'AMZN', 'AMD'];
  const vectors = benchVectors(symbols, 1700);
  const scoring = await benchScoring(MODEL, vectors.slice(0, 16_384), [1, 32, SERVICE_BATCH], 4);
  console.log(
    `scoring: models/default/model.onnx, ${Math.min(vectors.length, 16_384)} vectors per round, 3 measured rounds after a warm-up`,
  );
  console.log(
    'rows/s = batch / median batch latency (robust to other processes); total = rows / total time, bursts included',
  );
  printTable([
    [
      'batch',
      'service rows/s',
      'bare rows/s',
      'ratio',
      'svc total rows/s',
      'bare total rows/s',
      'svc p50 ms',
      'svc p99 ms',
      'bare p50 ms',
      'bare p99 ms',
    ],
    ...scoring.map((r) => [
      String(r.batch),
      r.serviceRowsPerSec,
      r.bareRowsPerSec,
      r.serviceRowsPerSec / r.bareRowsPerSec,
      r.serviceRowsPerSecTotal,
      r.bareRowsPerSecTotal,
      r.serviceP50Ms,
      r.serviceP99Ms,
      r.bareP50Ms,
      r.bareP99Ms,
    ]),
  ]);

  const rate = arg('rate', 500);
  const burst = arg('burst', 0);
  const every = arg('every', 1000);
  const stream =
    burst > 0 ? barBoundaries(burst, arg('vectors', 4000)) : vectors.slice(0, arg('vectors', 4000));
  const latency = await benchKafkaLatency(stream, {
    perTick: burst > 0 ? burst : Math.max(1, Math.round(rate / 50)),
    tickMs: burst > 0 ? every : 20,
    warmup: burst > 0 ? burst : 200,
  });
  console.log(
    burst > 0
      ? `\nthrough Kafka: ${stream.length} vectors into features.v1 in bursts of ${burst} symbols every ${every} ms, ${latency.vectors} measured after the first burst`
      : `\nthrough Kafka: ${stream.length} vectors at ~${rate}/s into features.v1, ${latency.vectors} measured after 200 warm-up`,
  );
  printTable([
    ['latency', 'p50 ms', 'p99 ms'],
    ['produce -> prediction received', latency.endToEnd.p50, latency.endToEnd.p99],
    ['service latency_ms field', latency.service.p50, latency.service.p99],
  ]);

  const headline = scoring.find((r) => r.batch === SERVICE_BATCH)!;
  benchLine('inference', {
    rows_per_s: Math.round(headline.serviceRowsPerSec),
    bare_rows_per_s: Math.round(headline.bareRowsPerSec),
    ratio: headline.serviceRowsPerSec / headline.bareRowsPerSec,
    batch_p50_ms: headline.serviceP50Ms,
    p50_ms: latency.endToEnd.p50,
    p99_ms: latency.endToEnd.p99,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
