// The platform as child processes for the e2e bench and the soak: its own Postgres database
// (the gateway publishes demand for every watchlist in its database and inference activates the
// registry's model, so the shared test database would leak other sessions' symbols and models
// into the run), its own topic prefix, and /proc readings of every child.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Admin } from 'kafkajs';
import { TEST_ENV, testKafka } from '../../test/support/env';
import type { KafkaTestbed } from '../../test/support/kafka';
import { kafkaTestbed, spreadOver } from '../../test/support/kafka';
import type { ServiceProcess } from '../../test/support/service-process';
import { processHandle, startService } from '../../test/support/service-process';
import { scratchDatabase } from '../support/database';
import type { DriverConfig } from './driver';

const ROOT = path.resolve(__dirname, '../..');

export interface Stack {
  bed: KafkaTestbed;
  databaseUrl: string;
  /** By instance: `gateway`, `gateway-2`, ... (replica k >= 2 is `<service>-k`, as `npm run up` names them). */
  services: Map<string, ServiceProcess>;
  /** The first gateway. */
  gatewayUrl: string;
  /** Every gateway replica, the first one first. */
  gatewayUrls: string[];
  commonEnv: Record<string, string>;
  close(): Promise<void>;
}

/** The service an instance name belongs to: `features-2` -> `features`. */
export const serviceOf = (instance: string): string => instance.replace(/-\d+$/, '');

/**
 * Starts features, inference and gateway (ingest is started per load step), `replicas` instances
 * of each: features and inference share their groups' partitions, each gateway reads every
 * partition in a group of its own. `replicationFactor` 3 on the three-node cluster.
 */
export async function startStack(
  label: string,
  extra: { gateway?: Record<string, string>; inference?: Record<string, string> } = {},
  { replicas = 1, replicationFactor = 1 }: { replicas?: number; replicationFactor?: number } = {},
): Promise<Stack> {
  const bed = await kafkaTestbed(label, { replicationFactor });
  const database = await scratchDatabase(label);
  const databaseUrl = database.url;
  const commonEnv = {
    TOPIC_PREFIX: bed.prefix,
    REDIS_KEY_PREFIX: `${bed.prefix}:`,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    // A preload for every service (a CPU profiler, say): NODE_OPTIONS of its own, not the bench's.
    ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
  };
  const services = new Map<string, ServiceProcess>();
  const close = async () => {
    for (const s of [...services.values()].reverse()) await s.stop().catch(() => undefined);
    await bed.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
  };
  try {
    const model = process.env.MODEL_FILE ?? path.join(ROOT, 'models/default/model.onnx');
    if (!fs.existsSync(model))
      throw new Error(
        `${model} is missing: train one (npm run train -- --sim ... --out DIR) and set MODEL_FILE`,
      );
    const envOf: Record<string, Record<string, string>> = {
      gateway: { ...commonEnv, RATE_SIGNUP_PER_IP: '100000', ...extra.gateway },
      inference: { ...commonEnv, MODEL_FILE: model, ...extra.inference },
      features: commonEnv,
    };
    // One at a time: the gateway's migrations and inference's must not race on an empty database,
    // and each replica joins a group that is already stable.
    for (let k = 1; k <= replicas; k++)
      for (const name of ['gateway', 'inference', 'features'])
        services.set(k === 1 ? name : `${name}-${k}`, await startService(name, envOf[name]!));
    // Every replica of a shared group owns partitions before anything is measured.
    if (replicas > 1)
      for (const [group, topic] of [
        ['features', 'bars'],
        ['inference', 'features'],
      ] as const)
        await spreadOver(bed.admin, bed.names.group(group), bed.names.of(topic), replicas);
  } catch (err) {
    await close();
    throw err;
  }
  const gatewayUrls = [...services]
    .filter(([instance]) => serviceOf(instance) === 'gateway')
    .map(([, s]) => `http://127.0.0.1:${s.port}`);
  return { bed, databaseUrl, services, gatewayUrl: gatewayUrls[0]!, gatewayUrls, commonEnv, close };
}

export interface SimLoad {
  symbols: string[];
  speed: number;
  barIntervalMs: number;
  historyBars: number;
  /** More ingest settings, e.g. INGEST_MAX_BATCH. */
  env?: Record<string, string>;
}

export function startIngest(stack: Stack, load: SimLoad): Promise<ServiceProcess> {
  return startService('ingest', {
    ...stack.commonEnv,
    INGEST_SOURCE: 'sim',
    DEFAULT_SYMBOLS: load.symbols.join(','),
    SIM_SPEED: String(load.speed),
    SIM_BAR_INTERVAL_MS: String(load.barIntervalMs),
    SIM_HISTORY_BARS: String(load.historyBars),
    ...load.env,
  });
}

/**
 * The market-data driver (bench/e2e/driver.ts) as a child process: `rate` records/s over
 * `symbols` through the ingest publisher, no simulator. Looks like a service to the steps: `port`
 * answers /metrics with the publisher's metrics, `stop()` ends it.
 */
export async function startDriver(
  stack: Stack,
  load: { symbols: string[]; rate: number; barIntervalMs: number; historyBars: number; producers: number },
): Promise<ServiceProcess> {
  const cfg: DriverConfig = {
    prefix: stack.bed.prefix,
    // It stands in for ingest, so it writes as ingest.
    ...testKafka('ingest'),
    registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL,
    ...load,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'driver.ts'), JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
    void exited.then((code) => reject(new Error(`the driver exited with ${code}: ${out.slice(-2000)}`)));
  });
  return processHandle(child, port, () => out, exited);
}

/** Symbols the validator accepts, distinct per `tag` so load steps never share a stream. */
export function symbolSet(tag: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, '0')}`);
}

const CLK_TCK = 100;

/** CPU seconds (user + system) and RSS in MB of a process, from /proc. */
export function usage(pid: number): { cpuSec: number; rssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSec: ticks / CLK_TCK, rssMb: Number(rss) / 1024 };
}

/** Sum of high watermarks of the given topics. */
export async function endOffsets(admin: Admin, topics: string[]): Promise<number> {
  let sum = 0;
  for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) sum += Number(p.high);
  return sum;
}

/** Records the group has not committed yet on `topic` (a partition never committed counts whole). */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [highs, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  let lag = 0;
  for (const h of highs) {
    const c = done.get(h.partition) ?? -1;
    lag += Number(h.high) - (c < 0 ? Number(h.low) : c);
  }
  return lag;
}

/** Least-squares slope of y over x (per unit of x). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
