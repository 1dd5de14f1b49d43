import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { PRINCIPALS, TopicNames, createKafka, provisionAcls, provisionTopics } from '@tickstream/platform';
import { eventually, kafkaLogin, uniquePrefix } from '../support/env';
import { brokerSetting, silentLog } from '../support/kafka';
import { freePort } from '../support/service-process';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'deploy/compose/kafka-start.sh');
const KAFKA_LIB = path.join(
  process.env.TICKSTREAM_CACHE_DIR ?? path.join(ROOT, '.cache'),
  'kafka-4.1.1',
  'lib',
);

/**
 * A stand-in for the apache/kafka image's /opt/kafka: its two bin scripts the start script calls,
 * running the same Kafka classes from the jars `npm run infra` resolved (there is no Docker
 * engine here to run the image itself).
 */
function kafkaHome(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const java = (main: string, opts = '') =>
    `#!/bin/sh\nexec java ${opts} -cp "${KAFKA_LIB}/*" ${main} "$@"\n`;
  fs.writeFileSync(path.join(bin, 'kafka-storage.sh'), java('kafka.tools.StorageTool'), { mode: 0o755 });
  fs.writeFileSync(
    path.join(bin, 'kafka-server-start.sh'),
    java(
      'kafka.Kafka',
      `-Xmx256m -Dkafka.logs.dir=${dir}/logs -Dlog4j2.configurationFile=${ROOT}/scripts/kafka/log4j2.properties`,
    ),
    { mode: 0o755 },
  );
  return dir;
}

/** KAFKA_<USER>_PASSWORD of every user the script creates, as compose passes them from .secrets/local.env. */
function passwords(): Record<string, string> {
  const users = ['admin', ...Object.values(PRINCIPALS).map((p) => p.user)];
  return Object.fromEntries(
    users.map((u) => [`KAFKA_${u.toUpperCase()}_PASSWORD`, kafkaLogin(u).KAFKA_SASL_PASSWORD!]),
  );
}

// docker-compose's Kafka (deploy/compose/kafka-start.sh) authenticates and authorizes as the
// local and Kubernetes brokers do: SCRAM users made at format time, the provision container
// granting ACLs as admin, everything else denied.
describe('docker-compose Kafka start script', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let port: number;
  let admin: Admin;
  const names = new TopicNames(uniquePrefix('compose'));
  const as = (user: string, password = kafkaLogin(user).KAFKA_SASL_PASSWORD!): Kafka =>
    createKafka(
      {
        brokers: [`127.0.0.1:${port}`],
        clientId: `test-compose-${user}`,
        sasl: { mechanism: 'scram-sha-512', username: user, password },
        retry: { retries: 0 },
      },
      silentLog,
    );

  beforeAll(async () => {
    if (!kafkaLogin().KAFKA_SASL_USERNAME) throw new Error('needs the Kafka passwords of .secrets/local.env');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickstream-compose-kafka-'));
    port = await freePort();
    child = spawn('sh', [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        ...passwords(),
        KAFKA_HOME: kafkaHome(dir),
        KAFKA_DATA_DIR: path.join(dir, 'data'),
        KAFKA_CONFIG_DIR: path.join(dir, 'config'),
        KAFKA_ADVERTISED_HOST: '127.0.0.1',
        KAFKA_BIND_HOST: '127.0.0.1',
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(await freePort()),
      },
      stdio: 'ignore',
    });
    admin = as('admin').admin();
    await eventually(
      () => admin.connect().then(() => admin.describeCluster().then(() => true)),
      90000,
      'the compose broker to accept admin',
    );
    await provisionTopics(admin, { prefix: names.prefix, replicationFactor: 1 });
    await provisionAcls(admin, { prefix: names.prefix });
  }, 120000);

  afterAll(async () => {
    await admin?.disconnect();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Sends one record as `kafka`'s user; resolves to the error Kafka answered, or undefined. */
  async function produce(kafka: Kafka, topic: string): Promise<Error | undefined> {
    const producer = kafka.producer({ retry: { retries: 0 } });
    try {
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'SPY', value: 'x' }] });
      return undefined;
    } catch (err) {
      return err as Error;
    } finally {
      await producer.disconnect();
    }
  }

  it('refuses a client with a wrong password', async () => {
    const err = await produce(as('ingest', 'not-the-password'), names.of('quotes'));
    expect(err?.message).toMatch(/SASL|authentication/i);
  });

  it("lets a service's user do what its ACLs allow, and nothing else", async () => {
    expect(await produce(as('ingest'), names.of('quotes'))).toBeUndefined();
    expect((await produce(as('quant'), names.of('quotes')))?.message).toMatch(/not authorized/i);
    expect((await produce(as('ingest'), names.of('orderCommands')))?.message).toMatch(/not authorized/i);
  });

  it('writes offset commits at once, as the other brokers do (broker-settings.test.ts)', async () => {
    expect(await brokerSetting(admin, 'group.coordinator.append.linger.ms')).toEqual({ '1': '0' });
  });

  it('refuses to start without every password, and says how to make them', () => {
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, ...passwords() };
    delete env.KAFKA_ORDERS_PASSWORD;
    const run = spawnSync('sh', [SCRIPT], {
      env: { ...env, KAFKA_HOME: '/nonexistent', KAFKA_DATA_DIR: path.join(dir, 'unused') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('KAFKA_ORDERS_PASSWORD is not set (run npm run secrets');
  });
});
