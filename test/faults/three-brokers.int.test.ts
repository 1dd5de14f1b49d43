import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Bar } from '@tickstream/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { AvroCodec, TopicNames, TypedProducer, createKafka, provisionTopics } from '@tickstream/platform';
import { TEST_ENV, eventually, testKafka, uniquePrefix } from '../support/env';
import { readAll, silentLog } from '../support/kafka';

const ROOT = path.resolve(__dirname, '../..');
// scripts/infra.mjs's cluster ports (TICKSTREAM_CLUSTER_PORT_BASE moves them, as it does there).
const PORT_BASE = Number(process.env.TICKSTREAM_CLUSTER_PORT_BASE ?? 19091);
const BROKERS = [1, 2, 3].map((n) => `127.0.0.1:${PORT_BASE + n}`);
// Where infra.mjs keeps its pid files (TICKSTREAM_STATE_DIR, else the cache dir).
const STATE =
  process.env.TICKSTREAM_STATE_DIR ?? process.env.TICKSTREAM_CACHE_DIR ?? path.join(ROOT, '.cache');

function infra(...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/infra.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 240000,
  });
  if (r.status !== 0) throw new Error(`infra ${args.join(' ')} failed:\n${r.stderr}`);
}

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
// order per key, and any copy the failover made is an adjacent identical record.
describe('three-broker cluster losing a broker mid-stream', () => {
  let kafka: Kafka;
  let admin: Admin;
  let names: TopicNames;
  let codec: AvroCodec;

  beforeAll(async () => {
    infra('cluster-down', '--wipe');
    infra('cluster-up');
    kafka = createKafka(
      {
        ...testKafka(),
        brokers: BROKERS,
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
  }, 300000);

  afterAll(async () => {
    await admin?.disconnect();
    infra('cluster-down', '--wipe');
  }, 120000);

  it('loses nothing acknowledged and keeps per-key order', async () => {
    const producer = new TypedProducer(kafka, codec, names);
    await producer.connect();
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD', 'SPY'];
    const acked: Bar[] = [];
    const victim = Number(fs.readFileSync(path.join(STATE, 'run/cluster-2.pid'), 'utf8'));
    for (let i = 0; i < 60; i++) {
      if (i === 20) process.kill(victim, 'SIGKILL');
      const batch = symbols.map((s) => bar(s, i));
      await producer.send(
        'bars',
        batch.map((b) => ({ key: b.symbol, value: b })),
      );
      acked.push(...batch);
    }
    await producer.disconnect();

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
});
