import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import type { AvroTopicId, TopicId } from '@tickstream/platform';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { PRINCIPALS, aclRules, createKafka, deprovisionAcls, provisionAcls } from '@tickstream/platform';
import { TEST_ENV, TEST_SECRETS, eventually, kafkaLogin, testKafka, uniquePrefix } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll, silentLog } from '../support/kafka';

const ROOT = path.resolve(__dirname, '../..');

// Issue 19: the broker authenticates every client (SASL/SCRAM-SHA-512) and authorizes each user
// by the ACLs of packages/platform/src/kafka/acls.ts, provisioned here for the testbed's prefix.
// Each service working under its own user is tested by the services' own suites (startService
// runs each as its own user); this suite tests what must be refused.
describe('Kafka access control', () => {
  let bed: KafkaTestbed;
  const as = (user: string, retries = 0): Kafka =>
    createKafka({ ...testKafka(user), clientId: `test-acl-${user}`, retry: { retries } }, silentLog);

  beforeAll(async () => {
    if (!kafkaLogin().KAFKA_SASL_USERNAME)
      throw new Error(
        `the test broker ${TEST_ENV.KAFKA_BROKERS} has no credentials (KAFKA_ADMIN_PASSWORD or .secrets/local.env): ` +
          'start it with scripts/infra.mjs, which turns authentication on',
      );
    bed = await kafkaTestbed('acl');
  }, 60000);
  afterAll(() => bed?.close());

  /** Sends one record as `kafka`'s user; resolves to the error Kafka answered, or undefined. */
  async function produce(kafka: Kafka, id: TopicId): Promise<Error | undefined> {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.send({ topic: bed.names.of(id), messages: [{ key: 'k', value: 'forged' }] });
      return undefined;
    } catch (err) {
      return err as Error;
    } finally {
      await producer.disconnect();
    }
  }

  const MARKET: AvroTopicId[] = ['trades', 'quotes', 'bars', 'features', 'featuresLatest', 'predictions'];

  it('lets the quant user consume every market topic with its own groups', async () => {
    for (const id of MARKET)
      await bed.producer.send({ topic: bed.names.of(id), messages: [{ key: 'SPY', value: id }] });
    const quant = as('quant', 2);
    for (const id of MARKET) {
      const consumer = quant.consumer({ groupId: bed.names.group(`quant-${id}`), maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic: bed.names.of(id), fromBeginning: true });
      const got = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`quant read nothing from ${id}`)), 30000);
        void consumer
          .run({
            eachMessage: async ({ message }) => {
              clearTimeout(timer);
              resolve(message.value?.toString() ?? '');
            },
          })
          .catch(reject);
      }).finally(() => consumer.disconnect());
      expect(got).toBe(id);
    }
  }, 120000);

  it.each<TopicId>(['orderCommands', 'quotes'])('refuses the quant user producing to %s', async (id) => {
    const err = await produce(as('quant'), id);
    expect(err).toBeDefined();
    expect(err?.message).toMatch(/not authorized/i);
    const records = await readAll(bed.kafka, bed.names.of(id), () => true, 3000).catch(() => []);
    expect(records.filter((r) => r.value?.toString() === 'forged')).toEqual([]);
  });

  it('refuses the quant user reading orders, internal state, or under a group not its own', async () => {
    const quant = as('quant');
    const admin = quant.admin();
    await admin.connect();
    try {
      // Describe is the least a reader needs: denied on what the quant may not read.
      for (const id of ['orderCommands', 'orderEvents', 'featuresState', 'controlSymbols'] as const)
        await expect(admin.fetchTopicOffsets(bed.names.of(id))).rejects.toThrow(/not authorized/i);
    } finally {
      await admin.disconnect();
    }
    const consumer = quant.consumer({ groupId: bed.names.group('gateway-x'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: bed.names.of('bars'), fromBeginning: true });
    const crashed = new Promise<Error>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error)),
    );
    await consumer.run({ eachMessage: async () => undefined });
    // The broker answers GROUP_AUTHORIZATION_FAILED; KafkaJS asks every broker for the coordinator
    // and keeps none of their errors, so it reports not finding one. The same consumer under a
    // quant- group joins (above): the group's name is the difference.
    expect((await crashed).message).toMatch(/not authorized|failed to find group coordinator/i);
    await consumer.disconnect();
  });

  it.each<[string, TopicId]>([
    ['ingest', 'orderCommands'],
    ['gateway', 'quotes'],
    ['gateway', 'orderEvents'],
    ['orders', 'quotes'],
    ['features', 'predictions'],
    ['inference', 'orderCommands'],
  ])('refuses %s producing to %s (least privilege)', async (user, id) => {
    const err = await produce(as(user), id);
    expect(err?.message).toMatch(/not authorized/i);
  });

  it('refuses a client without credentials', async () => {
    const anonymous = new KafkaClient({
      clientId: 'test-acl-anonymous',
      brokers: TEST_ENV.KAFKA_BROKERS.split(','),
      connectionTimeout: 3000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
  });

  it('refuses a wrong password', async () => {
    const kafka = createKafka(
      {
        brokers: TEST_ENV.KAFKA_BROKERS.split(','),
        sasl: { mechanism: 'scram-sha-512', username: 'quant', password: 'not-the-password' },
        clientId: 'test-acl-wrong',
        retry: { retries: 0 },
      },
      silentLog,
    );
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow(/authentication failed/i);
  });

  // Each service checks its login first: a wrong password stops it at start with the setting named.
  it.each(['ingest', 'features', 'inference', 'gateway', 'orders'])(
    '%s with a wrong KAFKA_SASL_PASSWORD exits non-zero naming it',
    async (service) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'services', service, 'dist', 'main.js')], {
        env: {
          PATH: process.env.PATH,
          ...TEST_ENV,
          ...TEST_SECRETS,
          TOPIC_PREFIX: bed.prefix,
          HEALTH_PORT: '0',
          HTTP_PORT: '0',
          KAFKA_SASL_USERNAME: service,
          KAFKA_SASL_PASSWORD: 'wrong-password-of-sufficient-length',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(err).toContain(`KAFKA_SASL_USERNAME=${service}`);
      expect(err).toContain('check KAFKA_SASL_PASSWORD');
      expect(err).not.toContain('wrong-password-of-sufficient-length');
    },
    30000,
  );

  it('provisions exactly the catalogue rules for a prefix, again without duplicates, and removes them', async () => {
    const prefix = uniquePrefix('acl-provision');
    // KafkaJS answers operations as numbers: READ -> 'Read', as the catalogue names them.
    const opName = new Map(
      Object.entries(AclOperationTypes).map(([k, v]) => [v, k.charAt(0) + k.slice(1).toLowerCase()]),
    );
    const bindings = async () => {
      const { resources } = await bed.admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      return resources
        .filter((r) => r.resourceName.startsWith(prefix))
        .flatMap((r) => r.acls.map((a) => `${a.principal} ${r.resourceName} ${opName.get(a.operation)}`))
        .sort();
    };
    const expected = aclRules(prefix)
      .flatMap((r) => r.operations.map((op) => `User:${r.user} ${r.name} ${op}`))
      .sort();
    const sent = await provisionAcls(bed.admin, { prefix });
    expect(sent).toBe(expected.length);
    await eventually(async () => (await bindings()).length === expected.length, 10000, 'the ACLs');
    expect(await bindings()).toEqual(expected);
    await provisionAcls(bed.admin, { prefix });
    expect(await bindings()).toEqual(expected);
    await deprovisionAcls(bed.admin, { prefix });
    await eventually(async () => (await bindings()).length === 0, 10000, 'no ACLs left');
  });

  it('has a local user (scripts/secrets.mjs) for each principal of the ACL catalogue, and the admin', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./scripts/secrets.mjs'); console.log(JSON.stringify([m.KAFKA_ADMIN_USER, m.KAFKA_USERS]))",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const [admin, users] = JSON.parse(r.stdout) as [string, string[]];
    expect([...users].sort()).toEqual([admin, ...Object.values(PRINCIPALS).map((p) => p.user)].sort());
  });
});
