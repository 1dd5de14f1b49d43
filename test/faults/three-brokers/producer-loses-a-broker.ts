import type { Bar } from '@tickstream/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { AvroCodec, TopicNames, TypedProducer, createKafka, provisionTopics } from '@tickstream/platform';
import { TEST_ENV, eventually, testKafka, uniquePrefix } from '../../support/env';
import { readAll, silentLog } from '../../support/kafka';
import type { PrivateCluster } from '../../support/private-infra';

const bar = (symbol: string, i: number): Bar => ({
  symbol,
  start_time: Date.UTC(2026, 10, 2, 14, 30) + i * 60000,
  interval_ms: 60000,
  open: 100,
  high: 101,
  low: 99,
  close: 100 + i / 1000,
  volume: i,
  trade_count: null,
  vwap: null,
  is_update: false,
  ingest_time: Date.now(),
  source: 'sim',
});

// A three-node KRaft cluster on one host (replication 3, min.insync.replicas 2, acks=all):
// one broker is killed with SIGKILL mid-stream; every acknowledged record is still there, in
// order per key, and any copy the failover made is an adjacent identical record. The tests of a
// describe block of test/faults/three-brokers.int.test.ts, which starts the cluster (`cluster()`,
// three nodes up).
export function producerLosesABroker(cluster: () => PrivateCluster): void {
  let kafka: Kafka;
  let admin: Admin;
  let names: TopicNames;
  let codec: AvroCodec;

  beforeAll(async () => {
    kafka = createKafka(
      {
        ...testKafka(),
        brokers: cluster().brokers,
        clientId: 'fault-test',
        retry: { initialRetryTime: 100, retries: 20 },
      },
      silentLog,
    );
    admin = kafka.admin();
    await admin.connect();
    names = new TopicNames(uniquePrefix('faults'));
    await eventually(
      async () => (await admin.describeCluster()).brokers.length === 3,
      60000,
      'three brokers',
    );
    await provisionTopics(admin, { prefix: names.prefix, replicationFactor: 3 });
    codec = new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names });
  }, 120000);

  afterAll(async () => {
    await admin?.disconnect();
  });

  it('loses nothing acknowledged and keeps per-key order', async () => {
    const producer = new TypedProducer(kafka, codec, names);
    await producer.connect();
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD', 'SPY'];
    const acked: Bar[] = [];
    let killed: Promise<void> | undefined;
    for (let i = 0; i < 60; i++) {
      // Not awaited: the sends go on while the node dies.
      if (i === 20) killed = cluster().kill(2);
      const batch = symbols.map((s) => bar(s, i));
      await producer.send(
        'bars',
        batch.map((b) => ({ key: b.symbol, value: b })),
      );
      acked.push(...batch);
    }
    await producer.disconnect();
    await killed;

    const meta = await admin.fetchTopicMetadata({ topics: [names.of('bars')] });
    expect(meta.topics[0]!.partitions.every((p) => p.replicas.length === 3)).toBe(true);

    // Every acknowledged record is in the log, in order per key. KafkaJS's idempotent producer
    // can still append a batch twice across a leader failover (at-least-once): the log may hold
    // a few identical copies, which consumers drop by key and time (the features engine ignores
    // a bar it has seen; order events carry stable ids).
    const offsets = await admin.fetchTopicOffsets(names.of('bars'));
    const inLog = offsets.reduce((n, p) => n + Number(p.high), 0);
    expect(inLog).toBeGreaterThanOrEqual(acked.length);
    expect(inLog - acked.length).toBeLessThanOrEqual(symbols.length);

    // A reader's group may rebalance while a broker is down and see records twice; count each
    // log position once.
    const position = (m: { offset: string; partition?: number }, i: number) =>
      `${m.partition ?? i}@${m.offset}`;
    const msgs = await readAll(
      kafka,
      names.of('bars'),
      (all) => new Set(all.map(position)).size >= inLog,
      60000,
    );
    const unique = [...new Map(msgs.map((m, i) => [position(m, i), m])).values()];
    const decoded = await Promise.all(unique.map((m) => codec.decode('bars', m.value)));
    expect(decoded).toHaveLength(inLog);
    for (const s of symbols) {
      const times = decoded.filter((b) => b.symbol === s).map((b) => b.start_time);
      // Copies are adjacent repeats of the same record; without them the order is the sent order.
      expect(times.filter((t, i) => i === 0 || t !== times[i - 1])).toEqual(
        acked.filter((b) => b.symbol === s).map((b) => b.start_time),
      );
    }

    // The two survivors kept serving: a new record still goes through with acks=all.
    const after = new TypedProducer(kafka, codec, names);
    await after.connect();
    await after.send('bars', [{ key: 'AAPL', value: bar('AAPL', 60) }]);
    await after.disconnect();
  }, 240000);
}
