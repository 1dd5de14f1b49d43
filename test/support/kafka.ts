import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { AssignerProtocol, ConfigResourceTypes } from 'kafkajs';
import pino from 'pino';
import type { Logger } from '@tickstream/platform';
import {
  AvroCodec,
  TopicNames,
  TypedProducer,
  createKafka,
  createReliableProducer,
  createTopicsServed,
  deprovisionAcls,
  provisionAcls,
  provisionTopics,
} from '@tickstream/platform';
import { TEST_ENV, eventually, kafkaLogin, testKafka, uniquePrefix } from './env';

export const silentLog: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface KafkaTestbed {
  prefix: string;
  names: TopicNames;
  kafka: Kafka;
  admin: Admin;
  codec: AvroCodec;
  producer: Producer;
  close(): Promise<void>;
}

/**
 * Real broker + registry with every catalogue topic provisioned under a fresh prefix, and the
 * services' ACLs for them when the broker has authentication. The testbed's own client logs in as
 * the admin super user; service processes (startService) log in as themselves.
 */
export async function kafkaTestbed(
  label: string,
  /** 3 on the three-node cluster (whose brokers default to min.insync.replicas 2). */
  { replicationFactor = 1 }: { replicationFactor?: number } = {},
): Promise<KafkaTestbed> {
  const prefix = uniquePrefix(label);
  const names = new TopicNames(prefix);
  const kafka = createKafka({ ...testKafka(), clientId: `test-${label}` }, silentLog);
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, { prefix, replicationFactor });
  const secured = kafkaLogin().KAFKA_SASL_USERNAME !== undefined;
  if (secured) await provisionAcls(admin, { prefix });
  const codec = new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names });
  const producer = createReliableProducer(kafka);
  await producer.connect();
  return {
    prefix,
    names,
    kafka,
    admin,
    codec,
    producer,
    async close() {
      await producer.disconnect();
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      if (secured) await deprovisionAcls(admin, { prefix }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/**
 * Creates topic `name` with `partitions` through `kafka` (a broker or a relay in front of one),
 * for a suite that needs one bare topic rather than a testbed; the answer deletes it again.
 */
export async function scratchTopic(
  kafka: Kafka,
  name: string,
  partitions: number,
): Promise<() => Promise<void>> {
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsServed(admin, [{ topic: name, numPartitions: partitions, replicationFactor: 1 }]);
  return async () => {
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.disconnect();
  };
}

/** A connected TypedProducer on the testbed's topics; disconnect it before the testbed closes. */
export async function typedProducer(bed: KafkaTestbed): Promise<TypedProducer> {
  const producer = new TypedProducer(bed.kafka, bed.codec, bed.names);
  await producer.connect();
  return producer;
}

/** A consumed record with the partition it came from. */
type Msg = KafkaMessage & { partition: number };

/**
 * Reads `topic` from the beginning (all partitions) with a throwaway consumer group until
 * `expected` records arrived, or until `expected(records)` is true.
 */
export async function readAll(
  kafka: Kafka,
  topic: string,
  expected: number | ((msgs: Msg[]) => boolean),
  timeoutMs = 20000,
): Promise<Msg[]> {
  const done = typeof expected === 'number' ? (m: Msg[]) => m.length >= expected : expected;
  const consumer = kafka.consumer({
    groupId: `reader-${topic}-${Date.now()}-${Math.random()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Msg[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`read ${out.length} records of ${topic} in ${timeoutMs} ms, not what was expected`)),
      timeoutMs,
    );
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.push(Object.assign(message, { partition }));
        if (done(out)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  }).finally(() => consumer.disconnect());
  return out;
}

/** Partitions of `topic` each live member of `groupId` owns (one entry per member). */
export async function groupAssignment(admin: Admin, groupId: string, topic: string): Promise<number[][]> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group || group.state !== 'Stable') return [];
  return group.members.map(
    (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [],
  );
}

/** Waits until `groupId` is stable with `members` members that each own a partition of `topic`. */
export async function spreadOver(
  admin: Admin,
  groupId: string,
  topic: string,
  members: number,
  timeoutMs = 45000,
): Promise<number[][]> {
  return eventually(
    async () => {
      const owned = await groupAssignment(admin, groupId, topic);
      return owned.length === members && owned.every((p) => p.length > 0) && owned;
    },
    timeoutMs,
    `group ${groupId} to spread ${topic} over ${members} members`,
  );
}

/**
 * Waits until one member of `groupId` owns all `partitions` partitions of `topic`: the survivor
 * of a replica killed at `killedAt` took over. Returns the milliseconds since the kill.
 */
export async function survivorTakesOver(
  admin: Admin,
  groupId: string,
  topic: string,
  partitions: number,
  killedAt: number,
  timeoutMs = 45000,
): Promise<number> {
  await eventually(
    async () => {
      const owned = await groupAssignment(admin, groupId, topic);
      return owned.length === 1 && owned[0]!.length === partitions;
    },
    timeoutMs,
    'the survivor to own every partition',
  );
  return Date.now() - killedAt;
}

/** What leaveGroupFor needs of KafkaJS's private Cluster (the client behind every consumer). */
interface GroupCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(req: { groupId: string }): Promise<{
    leaveGroup(req: { groupId: string; memberId: string }): Promise<unknown>;
  }>;
}

/**
 * Sends the LeaveGroup that member `memberId` of `groupId` would send on a clean stop, for a
 * member that died without one: the coordinator drops it now rather than when its session
 * expires, so a test that holds a dead member in a group for as long as it needs to look at it
 * does not then wait out the session. KafkaJS has no public call for this; its Kafka builds the
 * Cluster that does it under a private symbol (a KafkaJS upgrade that moves it fails here loudly).
 */
export async function leaveGroupFor(kafka: Kafka, groupId: string, memberId: string): Promise<void> {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!symbol) throw new Error('KafkaJS no longer builds its Cluster under private:Kafka:createCluster');
  const create = (kafka as unknown as Record<symbol, (opts: object) => GroupCluster>)[symbol]!;
  const cluster = create({});
  await cluster.connect();
  try {
    await (await cluster.findGroupCoordinator({ groupId })).leaveGroup({ groupId, memberId });
  } finally {
    await cluster.disconnect();
  }
}

/**
 * Drops every member of `groupId` with the LeaveGroup each would have sent, for a group whose only
 * process was just SIGKILLed: its restart then joins at once instead of waiting out the dead
 * member's session. What was not committed stays uncommitted (a LeaveGroup commits nothing), so
 * the restart re-reads what it would have. test/sre/restart-after-crash covers a start that does
 * wait for a dead member. A member whose session expired meanwhile is already gone: not an error.
 */
export async function dropDeadMembers(bed: KafkaTestbed, groupId: string): Promise<void> {
  const { groups } = await bed.admin.describeGroups([groupId]);
  for (const { memberId } of groups[0]?.members ?? [])
    await leaveGroupFor(bed.kafka, groupId, memberId).catch((err: { type?: string }) => {
      if (err.type !== 'UNKNOWN_MEMBER_ID') throw err;
    });
}

/** A static setting of every broker of the cluster `admin` is connected to, by node id. */
export async function brokerSetting(admin: Admin, name: string): Promise<Record<string, string | undefined>> {
  const { brokers } = await admin.describeCluster();
  const { resources } = await admin.describeConfigs({
    resources: brokers.map((b) => ({
      type: ConfigResourceTypes.BROKER,
      name: String(b.nodeId),
      configNames: [name],
    })),
    includeSynonyms: false,
  });
  return Object.fromEntries(
    resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === name)?.configValue]),
  );
}
