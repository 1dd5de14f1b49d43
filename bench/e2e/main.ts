// The whole pipeline on this machine: ingest (simulator source) -> features -> inference, and the
// gateway fanning market data out to Socket.IO clients, at rising rates; beside plain KafkaJS
// produce-then-consume of the same records on the same broker.
// `npm run bench -- e2e [--rates 1000,5000,10000,20000] [--symbols 100,250,500,500] [--clients 20]
//   [--per-client 10] [--seconds 25] [--bar-ms 5000] [--interval 250] [--warmup 30] [--ingest-max-batch N]
//   [--driver sim|producer] [--driver-producers 3] [--replicas 1] [--cluster]
//   [--fetch-min-bytes N] [--fetch-max-wait MS] [--ingest-producers N] [--ingest-linger-ms N]`
// --fetch-min-bytes / --fetch-max-wait: the gateway's MARKET_FETCH_MIN_BYTES / _MAX_WAIT_MS.
// --replicas N: N instances each of features, inference and gateway, the clients spread over the
// gateways; --cluster: on the three-node cluster of scripts/infra.mjs (started if not running).
import { useCluster } from './cluster';
import type { E2eOptions } from './run';
import { runBench } from '../support/cli';

const argv = process.argv;
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};

function options(): E2eOptions {
  const driver = arg('driver', 'sim');
  if (driver !== 'sim' && driver !== 'producer') throw new Error(`--driver sim|producer, not ${driver}`);
  const replicas = Number(arg('replicas', '1'));
  // The groups' topics have 6 partitions: a seventh features or inference replica would idle.
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 6)
    throw new Error(`--replicas must be a whole number from 1 to 6, got ${arg('replicas', '1')}`);
  return {
    rates: arg('rates', '1000,5000,10000,20000').split(',').map(Number),
    symbols: arg('symbols', '100,250,500,500').split(',').map(Number),
    clients: Number(arg('clients', '20')),
    perClient: Number(arg('per-client', '10')),
    seconds: Number(arg('seconds', '25')),
    barMs: Number(arg('bar-ms', '5000')),
    interval: arg('interval', '250'),
    warmup: Number(arg('warmup', '30')),
    ingestMaxBatch: arg('ingest-max-batch', ''),
    fetchMinBytes: arg('fetch-min-bytes', ''),
    fetchMaxWait: arg('fetch-max-wait', ''),
    ingestProducers: arg('ingest-producers', ''),
    ingestLingerMs: arg('ingest-linger-ms', ''),
    driver,
    driverProducers: Number(arg('driver-producers', '3')),
    replicas,
    cluster: argv.includes('--cluster'),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const cluster = opts.cluster ? await useCluster() : undefined;
  try {
    // Set before the bench's modules load: the test support reads it once, at import.
    if (cluster) process.env.KAFKA_BROKERS = cluster.brokers.join(',');
    const { runE2e } = await import('./run.js');
    await runE2e(opts);
  } finally {
    cluster?.release();
  }
}

runBench(main);
