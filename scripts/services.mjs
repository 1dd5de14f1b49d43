// The five services as `npm run up` runs them: built JS under services/*/dist, one detached
// process per instance, logs in .cache/logs/<instance>.log, pid files in .cache/run/. With
// `--replicas N` features, inference, orders and gateway run N instances each: the first keeps
// the plain name and port (features, :9102), replica k >= 2 is `<name>-k` on `replicaPort + k - 2`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PATHS, SINGLE_NODE, portOpen, readPid, startDetached, stopProcess, waitFor } from './infra.mjs';
import { kafkaPasswordVar } from './secrets.mjs';

const TELEMETRY_REGISTER = path.join(PATHS.ROOT, 'packages', 'platform', 'dist', 'telemetry', 'register.js');

/**
 * `group`/`topic`: the shared consumer group whose partitions of the topic (catalogue id) bound how
 * many replicas do work; the gateway reads in a group of its own per replica, so it has no bound.
 * Ports of replicas 2..6 stay inside 9111-9125 and 8090-8094: 8081 is the schema registry.
 */
export const SERVICES = [
  // One ingest: it is the single source of the simulated feed (two would publish every quote twice).
  { name: 'ingest', port: 9101, portVar: 'HEALTH_PORT' },
  {
    name: 'features',
    port: 9102,
    portVar: 'HEALTH_PORT',
    replicaPort: 9111,
    group: 'features',
    topic: 'bars',
  },
  {
    name: 'inference',
    port: 9103,
    portVar: 'HTTP_PORT',
    replicaPort: 9116,
    group: 'inference',
    topic: 'features',
  },
  {
    name: 'orders',
    port: 9105,
    portVar: 'HEALTH_PORT',
    replicaPort: 9121,
    group: 'orders',
    topic: 'orderCommands',
  },
  { name: 'gateway', port: 8080, portVar: 'HTTP_PORT', replicaPort: 8090 },
];

/** With more than one gateway, scripts/lb.mjs listens here and spreads connections over them. */
export const LB_PORT = 8088;

/** Replicas beyond this would need more ports than reserved above; partitions bound it anyway. */
export const MAX_REPLICAS = 6;

/**
 * Settings of the local demo platform; anything already set in the environment wins. No secrets:
 * those come from ensureLocalSecrets() (scripts/secrets.mjs), random per checkout.
 */
export const DEMO_ENV = {
  // The broker infra.mjs started (TICKSTREAM_KAFKA_PORT moves it).
  KAFKA_BROKERS: `127.0.0.1:${SINGLE_NODE[0].port}`,
  LOG_LEVEL: 'info',
  INGEST_SOURCE: 'sim',
  SIM_BAR_INTERVAL_MS: '5000',
  // The gateway asks the (first) order service for orders, positions and risk controls, and
  // the (first) inference service for predictions and the model registry.
  ORDERS_URL: 'http://127.0.0.1:9105',
  INFERENCE_URL: 'http://127.0.0.1:9103',
};

/** The instances of every service for `replicas` (ingest always runs once). */
export function instances(replicas = 1) {
  return SERVICES.flatMap((s) => {
    const n = s.replicaPort === undefined ? 1 : replicas;
    return Array.from({ length: n }, (_, i) =>
      i === 0
        ? { ...s, instance: s.name }
        : { ...s, instance: `${s.name}-${i + 1}`, port: s.replicaPort + i - 1 },
    );
  });
}

/**
 * Partitions of each shared group's topic, from the built topic catalogue: a replica beyond that
 * count joins its group but is assigned nothing.
 */
export function groupPartitions() {
  const require = createRequire(import.meta.url);
  const { TOPICS } = require(path.join(PATHS.ROOT, 'packages', 'platform', 'dist', 'kafka', 'topics.js'));
  return SERVICES.filter((s) => s.group).map((s) => ({
    service: s.name,
    group: s.group,
    topic: TOPICS[s.topic].name,
    partitions: TOPICS[s.topic].partitions,
  }));
}

/**
 * Whether GET `path` answers 2xx. The body is read to the end: an unread one holds the socket
 * open, and with it the end of `up`, until the server times the connection out.
 */
async function answersOk(port, path) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

const healthy = (port) => answersOk(port, '/healthz');

/**
 * What /readyz says right after /healthz answered. A member of a shared consumer group is ready
 * once the group has taken it in: restarted right after a crash, that waits for the dead
 * process's Kafka session (10 s from its death) to expire; `up` does not wait for it.
 */
async function readiness(s) {
  if (await answersOk(s.port, '/readyz')) return ', ready';
  return s.group
    ? `, ready once the ${s.group} group takes it in (up to 10 s after the old process died)`
    : ', not ready yet (see /readyz)';
}

/**
 * The environment of service `name`: the shared secrets, and its own Kafka user (named like the
 * service, with the ACLs of packages/platform/src/kafka/acls.ts); no other user's password.
 */
function serviceSecrets(name, secrets) {
  const own = Object.fromEntries(Object.entries(secrets).filter(([k]) => !/^KAFKA_[A-Z]+_PASSWORD$/.test(k)));
  const password = secrets[kafkaPasswordVar(name)];
  return password ? { ...own, KAFKA_SASL_USERNAME: name, KAFKA_SASL_PASSWORD: password } : own;
}

/** True when some instance of the platform is running and answering. */
export async function anyRunning() {
  for (const s of instances(MAX_REPLICAS)) if (readPid(s.instance) && (await healthy(s.port))) return true;
  return false;
}

/**
 * Starts the instances for `replicas` that are not yet healthy, all at once, then waits for each;
 * `secrets` (from ensureLocalSecrets) yield to process.env.
 */
export async function startServices(secrets = {}, { replicas = 1 } = {}) {
  const started = [];
  for (const s of instances(replicas)) {
    if (readPid(s.instance) && (await healthy(s.port))) {
      process.stderr.write(`[up] ${s.instance}: already running\n`);
      continue;
    }
    const main = path.join(PATHS.ROOT, 'services', s.name, 'dist', 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
    // The telemetry preload must run before main.js requires http, express, pg and ioredis.
    const logFile = startDetached(
      s.instance,
      process.execPath,
      ['--enable-source-maps', '--require', TELEMETRY_REGISTER, main],
      {
        cwd: PATHS.ROOT,
        env: { ...DEMO_ENV, ...serviceSecrets(s.name, secrets), ...process.env, [s.portVar]: String(s.port) },
      },
    );
    started.push({ ...s, logFile });
  }
  for (const s of started) {
    // Polled often: a restarted service is usually healthy within a second or two.
    await waitFor(`${s.instance} /healthz on :${s.port}`, () => healthy(s.port), 60000, s.logFile, 100);
    process.stderr.write(
      `[up] ${s.instance}: healthy on http://127.0.0.1:${s.port}/healthz${await readiness(s)} (log ${s.logFile})\n`,
    );
  }
  return started.map((s) => s.instance);
}

/**
 * Starts the load balancer over the gateways of `replicas` (or keeps it, if it already runs over
 * exactly those); returns its URL.
 */
export async function startBalancer(replicas) {
  const targets = instances(replicas)
    .filter((s) => s.name === 'gateway')
    .map((s) => s.port)
    .join(',');
  const targetsFile = path.join(PATHS.RUN, 'lb.targets');
  const running = fs.existsSync(targetsFile) ? fs.readFileSync(targetsFile, 'utf8') : '';
  if (readPid('lb') && running === targets && (await portOpen(LB_PORT))) {
    process.stderr.write(`[up] lb: already running over ${targets}\n`);
  } else {
    await stopProcess('lb');
    const logFile = startDetached('lb', process.execPath, [
      path.join(PATHS.ROOT, 'scripts', 'lb.mjs'),
      '--port',
      String(LB_PORT),
      '--targets',
      targets,
    ]);
    fs.writeFileSync(targetsFile, targets);
    await waitFor(`lb on :${LB_PORT}`, () => portOpen(LB_PORT), 10000, logFile, 100);
    process.stderr.write(
      `[up] lb: http://127.0.0.1:${LB_PORT} over the gateways on ${targets} (log ${logFile})\n`,
    );
  }
  return `http://127.0.0.1:${LB_PORT}`;
}

/** Stops every instance that has a live pid file, the load balancer and replicas first, ingest last. */
export async function stopServices() {
  if (await stopProcess('lb')) process.stderr.write('[down] lb: stopped\n');
  fs.rmSync(path.join(PATHS.RUN, 'lb.targets'), { force: true });
  for (const s of instances(MAX_REPLICAS).reverse()) {
    if (await stopProcess(s.instance)) process.stderr.write(`[down] ${s.instance}: stopped\n`);
  }
}
