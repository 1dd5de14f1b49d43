import type { Admin } from 'kafkajs';
import { createKafka } from '@tickstream/platform';
import { eventually, testKafka } from '../support/env';
import { silentLog } from '../support/kafka';
import type { PrivateCluster } from '../support/private-infra';
import { privateCluster } from '../support/private-infra';
import { platformLosesALeader } from './three-brokers/platform-loses-a-leader';
import { producerLosesABroker } from './three-brokers/producer-loses-a-broker';

// The fault tests of the three-node KRaft cluster of scripts/infra.mjs (replication 3,
// min.insync.replicas 2) share one cluster: starting one is the longest setup of the serial
// suites (a JVM per node to format its storage, then three brokers). Each test kills a node;
// the node is started again on its data, and back in sync, before the next test needs three.
describe('a three-broker cluster', () => {
  let cluster: PrivateCluster;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await privateCluster();
    admin = createKafka(
      { ...testKafka(), brokers: cluster.brokers, clientId: 'three-brokers-test' },
      silentLog,
    ).admin();
    await admin.connect();
  }, 300000);

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.close();
  }, 60000);

  describe('the platform on a three-broker cluster losing a partition leader under load', () =>
    platformLosesALeader(() => cluster));

  it('takes a killed node back: started again on its data, it is in sync on every partition', async () => {
    for (const id of cluster.killed()) cluster.start(id);
    expect(cluster.killed()).toEqual([]);
    // Every partition of every topic, the group coordinator's too (listTopics leaves it out; it
    // exists once a group did), has its three replicas in sync again: the next test's kill leaves
    // two, as many as min.insync.replicas asks for.
    const coordinator = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] }).then(
      () => ['__consumer_offsets'],
      () => [],
    );
    await eventually(
      async () => {
        const topics = [...(await admin.listTopics()), ...coordinator];
        const partitions = (await admin.fetchTopicMetadata({ topics })).topics.flatMap((t) => t.partitions);
        return partitions.length > 0 && partitions.every((p) => p.isr.length === 3);
      },
      60000,
      'every partition to have three in-sync replicas',
    );
    expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
  }, 120000);

  describe('three-broker cluster losing a broker mid-stream', () => producerLosesABroker(() => cluster));
});
