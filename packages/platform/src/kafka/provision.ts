import type { Admin, DescribeConfigResponse, ITopicConfig } from 'kafkajs';
import { ConfigResourceTypes } from 'kafkajs';
import { untilBrokerShows } from './broker-wait';
import type { TopicSpec } from './topics';
import { TOPICS, topicConfigs } from './topics';

export interface ProvisionReport {
  created: string[];
  reconfigured: string[];
  repartitioned: string[];
  unchanged: string[];
}

/**
 * Creates missing topics and brings existing ones to their declared configs and partition count,
 * and returns once the broker describes the configs it changed. Idempotent: a second run
 * reports everything unchanged.
 *
 * @example
 *   await provisionTopics(admin, { prefix: '', replicationFactor: 1 });
 */
export async function provisionTopics(
  admin: Admin,
  opts: { prefix: string; replicationFactor: number; specs?: readonly TopicSpec[] },
): Promise<ProvisionReport> {
  const specs = opts.specs ?? Object.values(TOPICS);
  const report: ProvisionReport = { created: [], reconfigured: [], repartitioned: [], unchanged: [] };
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(opts.prefix + s.name));
  if (missing.length > 0) {
    await createTopicsServed(
      admin,
      missing.map((s) => ({
        topic: opts.prefix + s.name,
        numPartitions: s.partitions,
        replicationFactor: opts.replicationFactor,
        configEntries: Object.entries(topicConfigs(s)).map(([name, value]) => ({ name, value })),
      })),
    );
    report.created.push(...missing.map((s) => opts.prefix + s.name));
  }
  const present = specs.filter((s) => existing.has(opts.prefix + s.name));
  if (present.length === 0) return report;

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: opts.prefix + s.name })),
  });
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => opts.prefix + s.name) });
  const altered = new Map<string, Record<string, string>>();
  const grown = new Map<string, number>();
  for (const spec of present) {
    const name = opts.prefix + spec.name;
    const want = topicConfigs(spec);
    const drift = drifted(want, described, name);
    const partitions = metadata.topics.find((t) => t.name === name)?.partitions.length ?? 0;
    if (drift) {
      // alterConfigs replaces the topic's dynamic configs as a whole, so send every declared one.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name,
            configEntries: Object.entries(want).map(([configName, value]) => ({ name: configName, value })),
          },
        ],
      });
      report.reconfigured.push(name);
      altered.set(name, want);
    }
    if (partitions < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: name, count: spec.partitions }] });
      report.repartitioned.push(name);
      grown.set(name, spec.partitions);
    }
    if (!drift && partitions >= spec.partitions) report.unchanged.push(name);
  }
  await untilConfigured(admin, altered);
  await untilGrown(admin, grown);
  return report;
}

/** Whether the broker describes topic `name` with any config other than `want` says. */
function drifted(want: Record<string, string>, described: DescribeConfigResponse, name: string): boolean {
  const entries = described.resources.find((r) => r.resourceName === name)?.configEntries ?? [];
  const have = new Map(entries.map((e) => [e.configName, e.configValue]));
  return Object.entries(want).some(([k, v]) => have.get(k) !== v);
}

/** Waits until the broker describes each altered topic with the configs it was given (see untilBrokerShows). */
async function untilConfigured(
  admin: Admin,
  altered: ReadonlyMap<string, Record<string, string>>,
): Promise<void> {
  if (altered.size === 0) return;
  await untilBrokerShows('KAFKA_CONFIGS_NOT_APPLIED', 'the new topic configs', async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [...altered.keys()].map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return [...altered].filter(([name, want]) => drifted(want, described, name)).map(([name]) => name);
  });
}

/**
 * Waits until the broker's metadata has each grown topic's new partitions (see
 * untilBrokerShows; a producer that looked the topic up before then spread keys over the old
 * count), and their leaders serve them.
 */
async function untilGrown(admin: Admin, grown: ReadonlyMap<string, number>): Promise<void> {
  if (grown.size === 0) return;
  await untilBrokerShows('KAFKA_PARTITIONS_NOT_APPLIED', 'the new partitions', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [...grown.keys()] });
    return [...grown]
      .filter(([name, count]) => (topics.find((t) => t.name === name)?.partitions.length ?? 0) < count)
      .map(([name]) => name);
  });
  await untilServed(admin, [...grown.keys()]);
}

const NOT_YET_SERVED =
  /does not host this topic-partition|not the leader|leader not available|unknown topic/i;

/**
 * Creates topics and returns once every partition's leader serves them. KafkaJS's createTopics
 * with waitForLeaders gives up on "does not host this topic-partition", which a busy broker
 * answers for a moment after creating a topic (a CI run failed on it), so that answer is waited
 * out here instead.
 *
 * @example
 *   await createTopicsServed(admin, [{ topic: 'scratch', numPartitions: 3 }]);
 */
export async function createTopicsServed(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  try {
    await admin.createTopics({ waitForLeaders: true, topics });
  } catch (err) {
    if (!NOT_YET_SERVED.test((err as Error).message)) throw err;
  }
  await untilServed(
    admin,
    topics.map((t) => t.topic),
  );
}

/**
 * createTopics' waitForLeaders only waits for the controller's metadata; under load a broker may
 * still answer "does not host this topic-partition" for a moment. Listing each new topic's
 * offsets goes to every partition leader, so once it succeeds the topics are usable.
 */
async function untilServed(admin: Admin, topics: readonly string[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const topic of topics) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (err) {
        if (!NOT_YET_SERVED.test((err as Error).message) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
