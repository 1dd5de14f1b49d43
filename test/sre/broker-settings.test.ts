import fs from 'node:fs';
import path from 'node:path';
import type { Admin } from 'kafkajs';
import { createKafka } from '@tickstream/platform';
import { testKafka } from '../support/env';
import { brokerSetting, silentLog } from '../support/kafka';
import { parseYamlDocs } from './support/yaml';

const ROOT = path.resolve(__dirname, '../..');
const LINGER = 'group.coordinator.append.linger.ms';

// Kafka 4's group coordinator holds an offset commit back (5 ms by default) to batch it with other
// writes to __consumer_offsets, and a consumer's fetches share its connection with its commits,
// which the broker answers one at a time: each commit held the fetch behind it up to 5 ms. The
// services commit once a second (TypedConsumer), too seldom for batching to gain anything.
describe('broker settings the platform relies on', () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = createKafka({ ...testKafka(), clientId: 'test-broker-settings' }, silentLog).admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('the local brokers (scripts/infra.mjs) write offset commits at once', async () => {
    const byNode = await brokerSetting(admin, LINGER);
    expect(Object.keys(byNode).length).toBeGreaterThan(0);
    for (const value of Object.values(byNode)) expect(value).toBe('0');
  });

  it("so does the Kubernetes cluster (Strimzi's Kafka resource)", () => {
    const docs = parseYamlDocs(
      fs.readFileSync(path.join(ROOT, 'deploy/k8s/base/kafka/kafka-cluster.yaml'), 'utf8'),
    );
    const cluster = docs.find((d) => (d as { kind?: string }).kind === 'Kafka') as {
      spec: { kafka: { config: Record<string, unknown> } };
    };
    expect(cluster.spec.kafka.config[LINGER]).toBe(0);
  });
});
