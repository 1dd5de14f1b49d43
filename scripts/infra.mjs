#!/usr/bin/env node
// Local infrastructure without Docker: Apache Kafka (KRaft) and Apicurio Registry, both resolved
// from Maven Central and run with the JDK. PostgreSQL and Redis are expected to run already.
//
//   node scripts/infra.mjs up            single broker on 127.0.0.1:9092 + registry on :8081
//   node scripts/infra.mjs down          stop what `up` started (and the cluster, if running)
//   node scripts/infra.mjs status
//   node scripts/infra.mjs cluster-up    three KRaft nodes on 127.0.0.1:19092-19094
//   node scripts/infra.mjs cluster-down [--wipe]
//   node scripts/infra.mjs cluster-start-node N   start node N (1-3) again after a fault test stopped it
//   node scripts/infra.mjs users         create or update the SCRAM users of the running broker(s)
//                                        (after a password in .secrets/local.env changed)
//
// Every start is idempotent: a component already answering on its port is reused, not restarted.
//
// Kafka runs with authentication and authorization on, as in production: clients authenticate
// with SASL/SCRAM-SHA-512 on the client listener, the KRaft StandardAuthorizer denies whatever
// no ACL allows (allow.everyone.if.no.acl.found=false), and only User:admin is a super user.
// The passwords are the KAFKA_<USER>_PASSWORD secrets of scripts/secrets.mjs; the SCRAM users
// are created when a data dir is formatted (kafka-storage format --add-scram) and by `users`
// later; the ACLs belong to the provisioning step (packages/platform, npm run provision).
//
// Ports and state can move, so a second broker can run beside the shared one:
//   TICKSTREAM_KAFKA_PORT (9092), TICKSTREAM_KAFKA_CONTROLLER_PORT (9093),
//   TICKSTREAM_CLUSTER_PORT_BASE (19091: nodes on base+1..3, controllers on base+101..103),
//   TICKSTREAM_STATE_DIR (the cache dir: data, logs and pid files; the jars stay in the cache).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_ADMIN_USER, KAFKA_USERS, ensureLocalSecrets, kafkaPasswordVar } from './secrets.mjs';

export const KAFKA_VERSION = '4.1.1';
export const APICURIO_VERSION = '3.3.3';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.TICKSTREAM_CACHE_DIR ?? path.join(ROOT, '.cache');
const STATE = process.env.TICKSTREAM_STATE_DIR ?? CACHE;
const RUN = path.join(STATE, 'run');
const LOGS = path.join(STATE, 'logs');
const DATA = path.join(STATE, 'data');
const KAFKA_HOME = path.join(CACHE, `kafka-${KAFKA_VERSION}`);
const APICURIO_HOME = path.join(CACHE, `apicurio-${APICURIO_VERSION}`);
const MVN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

const envPort = (name, fallback) => Number(process.env[name] ?? fallback);
const KAFKA_PORT = envPort('TICKSTREAM_KAFKA_PORT', 9092);
const CLUSTER_PORT_BASE = envPort('TICKSTREAM_CLUSTER_PORT_BASE', 19091);
export const SINGLE_NODE = [
  {
    id: 1,
    port: KAFKA_PORT,
    controllerPort: envPort('TICKSTREAM_KAFKA_CONTROLLER_PORT', KAFKA_PORT + 1),
    name: 'kafka',
  },
];
export const CLUSTER_NODES = [1, 2, 3].map((id) => ({
  id,
  port: CLUSTER_PORT_BASE + id,
  controllerPort: CLUSTER_PORT_BASE + 100 + id,
  name: `cluster-${id}`,
}));
export const REGISTRY_PORT = 8081;
export const PATHS = { ROOT, CACHE, STATE, RUN, LOGS, DATA };
const REGISTRY_MANAGEMENT_PORT = 9181;
const REGISTRY_DATABASE = process.env.REGISTRY_DATABASE ?? 'tickstream_registry';

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);

function mkdirs() {
  for (const d of [CACHE, STATE, RUN, LOGS, DATA]) fs.mkdirSync(d, { recursive: true });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout.trim();
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function waitFor(what, check, timeoutMs, logFile, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const tail = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s. Log tail:\n${tail}`);
}

// ---- resolving from Maven Central -------------------------------------------------------------

export function ensureKafkaInstalled() {
  const lib = path.join(KAFKA_HOME, 'lib');
  if (fs.existsSync(path.join(lib, `kafka_2.13-${KAFKA_VERSION}.jar`))) return lib;
  mkdirs();
  log(`resolving Apache Kafka ${KAFKA_VERSION} from Maven Central into ${lib}`);
  run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(ROOT, 'scripts/kafka/pom.xml'),
    `-Dkafka.version=${KAFKA_VERSION}`,
    `${MVN_DEPENDENCY_PLUGIN}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${lib}`,
  ]);
  return lib;
}

export function ensureApicurioInstalled() {
  const jar = path.join(APICURIO_HOME, 'quarkus-run.jar');
  if (fs.existsSync(jar)) return APICURIO_HOME;
  mkdirs();
  log(`resolving Apicurio Registry ${APICURIO_VERSION} from Maven Central (about 160 MB, once)`);
  const dl = path.join(CACHE, 'downloads');
  run(
    'mvn',
    [
      '-q',
      '-B',
      `${MVN_DEPENDENCY_PLUGIN}:copy`,
      `-Dartifact=io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`,
      `-DoutputDirectory=${dl}`,
    ],
    { cwd: CACHE },
  );
  const tmp = `${APICURIO_HOME}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  run('tar', ['xzf', path.join(dl, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`), '-C', tmp]);
  fs.renameSync(tmp, APICURIO_HOME);
  fs.rmSync(dl, { recursive: true, force: true });
  return APICURIO_HOME;
}

function javaMajor(javaBin) {
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(r.stderr ?? '');
  return m ? Number(m[1]) : 0;
}

// Apicurio Registry 3.3 is compiled for Java 21; the machine's default JDK is 17, so look for a
// newer one (Temurin under /usr/lib/jvm on these machines) and fail with a clear message if none.
export function findJava(minMajor) {
  const candidates = [];
  if (process.env.REGISTRY_JAVA_HOME) candidates.push(path.join(process.env.REGISTRY_JAVA_HOME, 'bin/java'));
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin/java'));
  candidates.push('java');
  if (fs.existsSync('/usr/lib/jvm')) {
    for (const d of fs.readdirSync('/usr/lib/jvm').sort().reverse())
      candidates.push(`/usr/lib/jvm/${d}/bin/java`);
  }
  for (const c of candidates) {
    if (javaMajor(c) >= minMajor) return c;
  }
  throw new Error(
    `No Java ${minMajor}+ found (tried ${candidates.join(', ')}). Install a JDK ${minMajor}+ ` +
      'and set REGISTRY_JAVA_HOME to it.',
  );
}

// ---- process bookkeeping ----------------------------------------------------------------------

const pidFile = (name) => path.join(RUN, `${name}.pid`);

export function readPid(name) {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export function startDetached(name, cmd, args, opts = {}) {
  mkdirs();
  const logFile = path.join(LOGS, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], ...opts });
  child.unref();
  fs.writeFileSync(pidFile(name), String(child.pid));
  return logFile;
}

export async function stopProcess(name, timeoutMs = 20000) {
  const pid = readPid(name);
  if (!pid) {
    fs.rmSync(pidFile(name), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 200));
    } catch {
      fs.rmSync(pidFile(name), { force: true });
      return true;
    }
  }
  process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile(name), { force: true });
  return true;
}

// ---- Kafka ------------------------------------------------------------------------------------

/**
 * SASL settings of a node. The client listener (SASL_PLAINTEXT) takes SCRAM-SHA-512 only, and the
 * brokers talk to each other on it as the admin user. The controller listener uses PLAIN with a
 * static user in the JAAS config: KRaft controllers cannot use SCRAM (the credentials live in the
 * metadata log they serve), and a PLAINTEXT controller listener would need User:ANONYMOUS as a
 * super user, open to anyone who can reach the port.
 */
function saslProperties(adminPassword) {
  const admin = KAFKA_ADMIN_USER;
  return [
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    'listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule ' +
      `required username="${admin}" password="${adminPassword}" user_${admin}="${adminPassword}";`,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=' +
      `org.apache.kafka.common.security.scram.ScramLoginModule required username="${admin}" password="${adminPassword}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${admin}`,
  ];
}

function brokerProperties(node, nodes, dataDir, adminPassword) {
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const replication = nodes.length >= 3 ? 3 : 1;
  return (
    [
      'process.roles=broker,controller',
      `node.id=${node.id}`,
      `controller.quorum.voters=${voters}`,
      `listeners=SASL_PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${node.port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      ...saslProperties(adminPassword),
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      `default.replication.factor=${replication}`,
      `min.insync.replicas=${replication >= 3 ? 2 : 1}`,
      `offsets.topic.replication.factor=${replication}`,
      'offsets.topic.num.partitions=10',
      `transaction.state.log.replication.factor=${replication}`,
      `transaction.state.log.min.isr=${replication >= 3 ? 2 : 1}`,
      'transaction.state.log.num.partitions=10',
      'group.initial.rebalance.delay.ms=0',
      // An offset commit waited this long (default 5 ms) for other writes to the offsets topic
      // to batch with; one in flight holds up the fetch behind it on the same connection, and
      // the consumers here commit once a second, not often enough to batch.
      'group.coordinator.append.linger.ms=0',
      'auto.create.topics.enable=false',
      // Local runs keep little and clean compacted topics quickly so compaction is observable.
      'log.cleaner.backoff.ms=2000',
      'log.retention.check.interval.ms=60000',
      'share.coordinator.state.topic.replication.factor=' + replication,
      'share.coordinator.state.topic.min.isr=' + (replication >= 3 ? 2 : 1),
    ].join('\n') + '\n'
  );
}

/** The local users and their passwords (generated once into .secrets/local.env). */
function kafkaUsers() {
  const secrets = ensureLocalSecrets();
  return KAFKA_USERS.map((name) => ({ name, password: secrets[kafkaPasswordVar(name)] }));
}

// Written next to a data dir formatted with the SCRAM users; a data dir without it predates
// authentication and has no admin user the brokers could log in with.
const saslMarker = (node) => path.join(DATA, `${node.name}.sasl`);

/**
 * Starts those of `nodes` that are not running. `cluster` is every node of their cluster (the
 * voters and the replication each node's settings name): more than `nodes` when one node of the
 * three-node cluster starts again alone.
 */
async function startKafkaNodes(nodes, { heap = '512m', cluster = nodes } = {}) {
  const lib = ensureKafkaInstalled();
  mkdirs();
  const classpath = `${lib}/*`;
  const users = kafkaUsers();
  const admin = users.find((u) => u.name === KAFKA_ADMIN_USER);
  const adminPassword = admin.password;
  const started = [];
  const clusterIdFile = path.join(DATA, `${cluster[0].name}.cluster-id`);
  let clusterId;
  for (const node of nodes) {
    if (await portOpen(node.port)) {
      // Reused only if it is a broker of this kind: with SASL, and the passwords of our secrets.
      if (!(await canLogIn(node.port, admin)))
        throw new Error(
          `the broker on 127.0.0.1:${node.port} refuses the login of ${admin.name} with ` +
            `${kafkaPasswordVar(admin.name)} of the secrets file: it was started with other passwords`,
        );
      log(`${node.name}: already answering on 127.0.0.1:${node.port}, reusing it`);
      continue;
    }
    const dataDir = path.join(DATA, node.name);
    const props = path.join(DATA, `${node.name}.properties`);
    fs.mkdirSync(dataDir, { recursive: true });
    // It holds the admin password: readable by its owner only, like .secrets/local.env.
    fs.writeFileSync(props, brokerProperties(node, cluster, dataDir, adminPassword), { mode: 0o600 });
    fs.chmodSync(props, 0o600);
    const formatted = fs.existsSync(path.join(dataDir, 'meta.properties'));
    if (formatted && !fs.existsSync(saslMarker(node))) {
      throw new Error(
        `${dataDir} was formatted before Kafka had authentication, so it has no SCRAM users: ` +
          `stop that broker (node scripts/infra.mjs down) and delete ${dataDir} ` +
          `(and ${clusterIdFile}), then start again`,
      );
    }
    if (!formatted) {
      clusterId ??= fs.existsSync(clusterIdFile)
        ? fs.readFileSync(clusterIdFile, 'utf8').trim()
        : run('java', ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid']);
      fs.writeFileSync(clusterIdFile, clusterId);
      run('java', [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        props,
        '-g',
        ...users.flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`]),
      ]);
      fs.writeFileSync(saslMarker(node), `${users.map((u) => u.name).join(',')}\n`);
    }
    const logsDir = path.join(LOGS, node.name);
    fs.mkdirSync(logsDir, { recursive: true });
    startDetached(node.name, 'java', [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      `-Dkafka.logs.dir=${logsDir}`,
      `-Dlog4j2.configurationFile=${path.join(ROOT, 'scripts/kafka/log4j2.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      props,
    ]);
    started.push(node);
    log(`${node.name}: starting on 127.0.0.1:${node.port} (log ${path.join(logsDir, 'server.log')})`);
  }
  for (const node of started) {
    await waitFor(
      `Kafka ${node.name}`,
      () => portOpen(node.port),
      90000,
      path.join(LOGS, node.name, 'server.log'),
    );
  }
  if (started.length > 0) await ensureKafkaUsers(nodes, users);
  return started.map((n) => n.name);
}

/** Whether `user` can log in to the broker at `port` with `password`. */
async function canLogIn(port, user) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({
    clientId: 'infra-users',
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: 'scram-sha-512', username: user.name, password: user.password },
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  // A broker that just opened its port may not answer yet: only a refused login is an answer.
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      await admin.connect();
      return true;
    } catch (err) {
      if (/SASL state/i.test(err.message))
        throw new Error(
          `the broker on 127.0.0.1:${port} does not use SASL: it was started before Kafka had ` +
            'authentication here; stop it (npm run down) and start it again with npm run up',
        );
      if (/SASL|authentication/i.test(err.message)) return false;
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/**
 * Creates the SCRAM users a running broker lacks and updates those whose password changed: a user
 * who cannot log in with the password of .secrets/local.env gets it set. Data dirs formatted by
 * this script have every user already, so this only runs Kafka's tooling (a slow JVM start per
 * user) for a user added to the catalogue or a password rotated since.
 */
export async function ensureKafkaUsers(nodes = SINGLE_NODE, users = kafkaUsers()) {
  const port = nodes[0].port;
  const admin = users.find((u) => u.name === KAFKA_ADMIN_USER);
  if (!(await canLogIn(port, admin)))
    throw new Error(
      `the admin user cannot log in to 127.0.0.1:${port} with ${kafkaPasswordVar(admin.name)}: ` +
        'its SCRAM credential only changes by re-formatting the data dir (see docs/RUNBOOK.md)',
    );
  const stale = [];
  for (const u of users) if (u !== admin && !(await canLogIn(port, u))) stale.push(u);
  if (stale.length === 0) return [];
  const commandConfig = path.join(DATA, 'admin-client.properties');
  fs.writeFileSync(
    commandConfig,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required ' +
        `username="${admin.name}" password="${admin.password}";`,
    ].join('\n') + '\n',
    { mode: 0o600 },
  );
  try {
    for (const u of stale) {
      run('java', [
        '-cp',
        `${ensureKafkaInstalled()}/*`,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        `127.0.0.1:${port}`,
        '--command-config',
        commandConfig,
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        u.name,
        '--add-config',
        `SCRAM-SHA-512=[password=${u.password}]`,
      ]);
      log(`kafka user ${u.name}: password set`);
    }
  } finally {
    fs.rmSync(commandConfig, { force: true });
  }
  return stale.map((u) => u.name);
}

// ---- Apicurio Registry ------------------------------------------------------------------------

function ensureRegistryDatabase() {
  const exists = spawnSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-tAc',
      `SELECT 1 FROM pg_database WHERE datname='${REGISTRY_DATABASE}'`,
    ],
    { encoding: 'utf8' },
  );
  if (exists.status !== 0) throw new Error(`PostgreSQL is not reachable on 127.0.0.1:5432: ${exists.stderr}`);
  if (exists.stdout.trim() !== '1') {
    run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `CREATE DATABASE ${REGISTRY_DATABASE}`]);
  }
}

async function registryReady() {
  try {
    const res = await fetch(`http://127.0.0.1:${REGISTRY_PORT}/apis/ccompat/v7/subjects`);
    return res.ok;
  } catch {
    return false;
  }
}

async function startRegistry() {
  if (await registryReady()) {
    log(`registry: already answering on 127.0.0.1:${REGISTRY_PORT}, reusing it`);
    return [];
  }
  const home = ensureApicurioInstalled();
  const java = findJava(21);
  ensureRegistryDatabase();
  mkdirs();
  const logFile = startDetached(
    'registry',
    java,
    [
      '-Xms128m',
      '-Xmx384m',
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.http.port=${REGISTRY_PORT}`,
      '-Dquarkus.management.host=127.0.0.1',
      `-Dquarkus.management.port=${REGISTRY_MANAGEMENT_PORT}`,
      // Durable SQL storage on the local PostgreSQL: schema ids survive a restart, so records
      // already in Kafka keep decoding.
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=postgresql',
      `-Dapicurio.datasource.url=jdbc:postgresql://127.0.0.1:5432/${REGISTRY_DATABASE}`,
      '-Dapicurio.datasource.username=postgres',
      '-Dapicurio.datasource.password=unused-trust-auth',
      // Confluent clients expect 'latest' to be the newest version and ids to be global ids.
      '-Dapicurio.ccompat.legacy-id-mode.enabled=false',
      '-jar',
      path.join(home, 'quarkus-run.jar'),
    ],
    { cwd: home },
  );
  log(
    `registry: starting Apicurio Registry ${APICURIO_VERSION} on 127.0.0.1:${REGISTRY_PORT} (log ${logFile})`,
  );
  await waitFor('Schema registry', registryReady, 120000, logFile);
  return ['registry'];
}

// ---- commands ---------------------------------------------------------------------------------

/**
 * Starts the single broker (or, with `cluster`, the three-node cluster) and the registry if they
 * are not running; returns what it started.
 */
export async function up({ cluster = false } = {}) {
  const started = [
    ...(await startKafkaNodes(cluster ? CLUSTER_NODES : SINGLE_NODE)),
    ...(await startRegistry()),
  ];
  return started;
}

/** KAFKA_BROKERS of the single broker or of the cluster. */
export function brokerList({ cluster = false } = {}) {
  return (cluster ? CLUSTER_NODES : SINGLE_NODE).map((n) => `127.0.0.1:${n.port}`).join(',');
}

export async function stop(names) {
  for (const name of names) {
    if (await stopProcess(name)) log(`${name}: stopped`);
  }
}

export async function down() {
  await stop(['registry', ...CLUSTER_NODES.map((n) => n.name), ...SINGLE_NODE.map((n) => n.name)]);
}

export async function clusterUp() {
  return startKafkaNodes(CLUSTER_NODES);
}

export async function clusterDown({ wipe = false } = {}) {
  await stop(CLUSTER_NODES.map((n) => n.name));
  if (wipe) {
    for (const n of CLUSTER_NODES) fs.rmSync(path.join(DATA, n.name), { recursive: true, force: true });
    for (const n of CLUSTER_NODES) fs.rmSync(saslMarker(n), { force: true });
    fs.rmSync(path.join(DATA, `${CLUSTER_NODES[0].name}.cluster-id`), { force: true });
  }
}

/** Starts one stopped node of the three-node cluster again (for fault tests). */
export async function startClusterNode(id) {
  const node = CLUSTER_NODES.find((n) => n.id === id);
  if (!node) throw new Error(`no cluster node ${id}`);
  return startKafkaNodes([node], { cluster: CLUSTER_NODES });
}

export async function status() {
  const rows = [];
  for (const n of [...SINGLE_NODE, ...CLUSTER_NODES]) {
    rows.push(`${n.name.padEnd(10)} 127.0.0.1:${n.port}  ${(await portOpen(n.port)) ? 'up' : 'down'}`);
  }
  rows.push(
    `${'registry'.padEnd(10)} 127.0.0.1:${REGISTRY_PORT}  ${(await registryReady()) ? 'up' : 'down'}`,
  );
  return rows.join('\n');
}

async function cli() {
  const cmd = process.argv[2] ?? 'status';
  switch (cmd) {
    case 'up':
      await up();
      break;
    case 'down':
      await down();
      break;
    case 'status':
      console.log(await status());
      break;
    case 'cluster-up':
      await clusterUp();
      break;
    case 'cluster-down':
      await clusterDown({ wipe: process.argv.includes('--wipe') });
      break;
    case 'cluster-start-node':
      await startClusterNode(Number(process.argv[3]));
      break;
    case 'users': {
      const nodes = (await portOpen(SINGLE_NODE[0].port)) ? SINGLE_NODE : CLUSTER_NODES;
      const changed = await ensureKafkaUsers(nodes);
      log(changed.length > 0 ? `updated ${changed.join(', ')}` : 'every user can log in');
      break;
    }
    case 'install':
      ensureKafkaInstalled();
      ensureApicurioInstalled();
      break;
    default:
      console.error(
        `unknown command ${cmd}; use up | down | status | cluster-up | cluster-down | users | install`,
      );
      process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  cli().catch((err) => {
    console.error(`[infra] ${err.message}`);
    process.exit(1);
  });
}
