import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PRINCIPALS } from '@tickstream/platform';
import { eventually, kafkaLogin } from './env';
import { freePort } from './service-process';

// The machine's Redis and PostgreSQL are shared with other engineers' test runs, so fault tests
// take down only servers of their own: started here on free ports, in temp dirs, killed at will.

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** SIGKILL, and resolves once the process has exited (at once if it is not running). */
async function killAndWait(c: ChildProcess | undefined): Promise<void> {
  if (!c || c.exitCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

/** A server process of the test's own, which it crashes and starts again on the same port. */
interface KillableServer {
  port: number;
  /** SIGKILL: the crash, with nothing flushed. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Started again, it is empty (it keeps no data). */
export interface PrivateRedis extends KillableServer {
  url: string;
}

/** A throwaway redis-server (no RDB, no AOF) on a free port. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await eventually(() => portOpen(port), 10000, `redis on ${port}`);
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    await killAndWait(c);
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, close: kill };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  port: number;
  /** URL of database `name` (create it with ensureDatabase or migrate's callers). */
  url(name?: string): string;
  /** Immediate shutdown: connections are cut, nothing waits for clients. */
  stop(): void;
  start(): void;
  close(): void;
}

/**
 * A throwaway PostgreSQL 15 cluster (trust auth) in a temp dir on a free port. initdb refuses
 * to run as root, so when the tests run as root the cluster belongs to the postgres user.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickstream-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], {
          stdio: 'pipe',
          cwd: dir,
        })
      : execFileSync(path.join(PG_BIN, bin), args, { stdio: 'pipe', cwd: dir });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = () =>
    void run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => void run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    stop,
    start,
    close() {
      try {
        stop();
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The jars `npm run infra` resolved from Maven Central: Kafka's server, tools and Java client. */
export const KAFKA_LIB = path.join(
  process.env.TICKSTREAM_CACHE_DIR ?? path.resolve(__dirname, '../../.cache'),
  'kafka-4.1.1',
  'lib',
);

/**
 * A random id as Kafka's StorageTool random-uuid prints it (16 random bytes, URL-safe base64
 * without padding, never starting with '-'), without the JVM start that tool costs.
 */
function kafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Killed, it keeps what the OS already held; started again, it has the same ports and data, and
 * `start` waits until it listens.
 */
export interface PrivateKafka extends KillableServer {
  /** For KAFKA_BROKERS. */
  brokers: string;
  /** The broker's server.log, for a failure message. */
  log(): string;
}

/**
 * A throwaway single-node KRaft broker (broker and controller in one process) on free ports, in a
 * temp dir: the shared broker on 9092 is never the one a fault test kills. Its settings follow
 * scripts/infra.mjs (brokerProperties) for one node; the jars are the ones `npm run infra` resolved.
 */
export async function privateKafka(
  opts: {
    auth?: boolean;
    /** TLS on the client listener (SASL_SSL): a PKCS12 keystore and the CA (PEM) that signed it. */
    tls?: { keystore: string; password: string; ca: string };
  } = {},
): Promise<PrivateKafka> {
  if (!fs.existsSync(KAFKA_LIB))
    throw new Error(
      `no Kafka jars in ${KAFKA_LIB}: run \`npm run infra -- up\` once, or set TICKSTREAM_CACHE_DIR`,
    );
  const port = await freePort();
  const controllerPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickstream-kafka-'));
  const data = path.join(dir, 'data');
  const props = path.join(dir, 'server.properties');
  const classpath = `${KAFKA_LIB}/*`;
  // Authentication and ACLs as on the shared test broker, when it has them (see infra.mjs), unless
  // `auth: false` asks for a broker without (to measure what authentication costs).
  const admin = kafkaLogin();
  const users =
    (opts.auth ?? true) && admin.KAFKA_SASL_USERNAME
      ? [admin, ...Object.values(PRINCIPALS).map((p) => kafkaLogin(p.user))].map((l) => ({
          name: l.KAFKA_SASL_USERNAME!,
          password: l.KAFKA_SASL_PASSWORD!,
        }))
      : [];
  const [root] = users;
  if (opts.tls && !root) throw new Error('a TLS broker here also authenticates: it needs the passwords');
  const control = root ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const protocol = opts.tls ? 'SASL_SSL' : control;
  const tls = opts.tls
    ? [
        'ssl.keystore.type=PKCS12',
        `ssl.keystore.location=${opts.tls.keystore}`,
        `ssl.keystore.password=${opts.tls.password}`,
        `ssl.key.password=${opts.tls.password}`,
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${opts.tls.ca}`,
      ]
    : [];
  const sasl = root
    ? [
        'sasl.enabled.mechanisms=SCRAM-SHA-512',
        'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
        'sasl.mechanism.controller.protocol=PLAIN',
        'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
        'listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule ' +
          `required username="${root.name}" password="${root.password}" user_${root.name}="${root.password}";`,
        `listener.name.${protocol.toLowerCase()}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule ` +
          `required username="${root.name}" password="${root.password}";`,
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'allow.everyone.if.no.acl.found=false',
        `super.users=User:${root.name}`,
      ]
    : [];
  fs.writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=${protocol}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=${protocol}://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      `inter.broker.listener.name=${protocol}`,
      `listener.security.protocol.map=CONTROLLER:${control},${protocol}:${protocol}`,
      ...sasl,
      ...tls,
      `log.dirs=${data}`,
      'num.partitions=1',
      'default.replication.factor=1',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=3',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'group.coordinator.append.linger.ms=0',
      'auto.create.topics.enable=false',
    ].join('\n') + '\n',
  );
  const clusterId = kafkaUuid();
  execFileSync(
    'java',
    [
      ...['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, '-g'],
      ...users.flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`]),
    ],
    {
      stdio: 'pipe',
    },
  );
  // log4j2.properties writes server.log into kafka.logs.dir; stdout holds only start-up noise.
  const logFile = path.join(dir, 'server.log');
  let child: ChildProcess | undefined;
  const start = async () => {
    const out = fs.openSync(path.join(dir, 'stdout.log'), 'a');
    child = spawn(
      'java',
      [
        '-Xms256m',
        '-Xmx256m',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        `-Dkafka.logs.dir=${dir}`,
        `-Dlog4j2.configurationFile=${path.resolve(__dirname, '../../scripts/kafka/log4j2.properties')}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        props,
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    const c = child;
    await eventually(
      () => {
        if (c.exitCode !== null) throw new Error(`it exited with ${c.exitCode}`);
        return portOpen(port);
      },
      90000,
      `the private Kafka broker on ${port}`,
    ).catch(async (err: Error) => {
      await kill();
      throw new Error(`${err.message}\n--- server.log ---\n${tail()}`);
    });
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    await killAndWait(c);
  };
  const tail = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '');
  try {
    await start();
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    brokers: `127.0.0.1:${port}`,
    kill,
    start,
    async close() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: tail,
  };
}

export interface PrivateCluster {
  /** KAFKA_BROKERS of the three nodes (node ids 1-3, as in the cluster's metadata). */
  brokers: string[];
  /** SIGKILL node `id`; resolves once it no longer listens. */
  kill(id: number): Promise<void>;
  /** The nodes killed and not started again. */
  killed(): number[];
  /** Starts killed node `id` again on its data (infra.mjs cluster-start-node); returns once it listens. */
  start(id: number): void;
  /** SIGKILLs what is left (nothing of it is kept) and deletes the cluster's data. */
  close(): Promise<void>;
  /** Node `id`'s server.log, for a failure message. */
  log(id: number): string;
}

const ROOT = path.resolve(__dirname, '../..');

/** Whether `port` can be bound on 127.0.0.1 right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The three-node KRaft cluster of scripts/infra.mjs (replication 3, min.insync.replicas 2, SASL
 * and ACLs as on the shared broker), in a temp state dir on ports of its own
 * (TICKSTREAM_CLUSTER_PORT_BASE: nodes on base+1..3, controllers on base+101..103), so neither
 * `npm run up -- --cluster` nor another test's cluster is the one this one kills or wipes.
 */
export async function privateCluster(): Promise<PrivateCluster> {
  let base = 0;
  for (let attempt = 0; attempt < 20 && !base; attempt++) {
    const candidate = 30000 + Math.floor(Math.random() * 20000);
    const ports = [1, 2, 3, 101, 102, 103].map((d) => candidate + d);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) base = candidate;
  }
  if (!base) throw new Error('no free port range for a private cluster');
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'tickstream-cluster-'));
  const env = { ...process.env, TICKSTREAM_STATE_DIR: state, TICKSTREAM_CLUSTER_PORT_BASE: String(base) };
  const infra = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/infra.mjs'), ...args], {
      encoding: 'utf8',
      env,
      timeout: 240000,
    });
    if (r.status !== 0) throw new Error(`infra ${args.join(' ')} failed:\n${r.stderr}`);
  };
  const pidFile = (id: number) => path.join(state, 'run', `cluster-${id}.pid`);
  const log = (id: number) => {
    const file = path.join(state, 'logs', `cluster-${id}`, 'server.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-4000) : '';
  };
  const killed = new Set<number>();
  const kill = async (id: number) => {
    if (!fs.existsSync(pidFile(id))) return;
    try {
      process.kill(Number(fs.readFileSync(pidFile(id), 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
    await eventually(async () => !(await portOpen(base + id)), 10000, `node ${id} to die`);
    // It was started detached: nobody here reaps it, and a zombie still answers kill(pid, 0),
    // which infra.mjs's stop would wait on for its whole timeout.
    fs.rmSync(pidFile(id), { force: true });
    killed.add(id);
  };
  // SIGKILL, not infra.mjs's cluster-down: the data is deleted anyway, and a graceful stop of the
  // last node, its quorum gone, waits out infra.mjs's 20 s stop timeout.
  const close = async () => {
    try {
      await Promise.all([1, 2, 3].map(kill));
    } finally {
      fs.rmSync(state, { recursive: true, force: true });
    }
  };
  // infra.mjs formats the nodes with the cluster id it finds here: written now, it needs no JVM
  // start of its own (StorageTool random-uuid) to make one.
  fs.mkdirSync(path.join(state, 'data'), { recursive: true });
  fs.writeFileSync(path.join(state, 'data', 'cluster-1.cluster-id'), kafkaUuid());
  try {
    infra('cluster-up');
  } catch (err) {
    await close();
    throw err;
  }
  return {
    brokers: [1, 2, 3].map((id) => `127.0.0.1:${base + id}`),
    kill,
    killed: () => [...killed].sort(),
    start(id) {
      infra('cluster-start-node', String(id));
      killed.delete(id);
    },
    close,
    log,
  };
}
