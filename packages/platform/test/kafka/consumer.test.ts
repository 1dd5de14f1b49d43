import type { Bar } from '@tickstream/contracts';
import type { InRecord } from '@tickstream/platform';
import { Registry } from 'prom-client';
import {
  DLQ_HEADERS,
  TickstreamError,
  TypedConsumer,
  TypedProducer,
  bindKafkaMetrics,
} from '@tickstream/platform';
import { eventually } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, readAll, silentLog } from '../../../../test/support/kafka';

const bar = (symbol: string, i: number): Bar => ({
  symbol,
  start_time: Date.UTC(2026, 10, 2, 14, 30) + i * 60000,
  interval_ms: 60000,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 1000 * (i + 1),
  trade_count: i === 0 ? null : 10 + i,
  vwap: i === 0 ? null : 100.25 + i,
  is_update: false,
  ingest_time: Date.now(),
  source: 'sim',
});

describe('Avro codec and typed consumer on the real broker and registry', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const consumers: TypedConsumer<'bars'>[] = [];

  beforeAll(async () => {
    bed = await kafkaTestbed('codec');
    producer = new TypedProducer(bed.kafka, bed.codec, bed.names);
    await producer.connect();
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await producer.disconnect();
    await bed.close();
  });

  function reader(
    groupId: string,
    handle: (r: InRecord<'bars'>[]) => Promise<void>,
  ): Promise<TypedConsumer<'bars'>> {
    const c = new TypedConsumer({
      kafka: bed.kafka,
      codec: bed.codec,
      names: bed.names,
      groupId,
      topics: ['bars'],
      deadLetters: bed.producer,
      log: silentLog,
    });
    consumers.push(c);
    return c.start(handle).then(() => c);
  }

  it('a record produced through the codec comes back decoded against its registered schema', async () => {
    const sent = [bar('AAPL', 0), bar('AAPL', 1), bar('MSFT', 2)];
    await producer.send(
      'bars',
      sent.map((value) => ({ key: value.symbol, value })),
    );
    const got: Bar[] = [];
    await reader('roundtrip', async (records) => {
      got.push(...records.map((r) => r.value));
    });
    await eventually(() => got.length >= 3, 20000, 'three bars');
    const bySymbol = (s: string) => got.filter((b) => b.symbol === s);
    expect(bySymbol('AAPL')).toEqual([sent[0], sent[1]]);
    expect(bySymbol('MSFT')).toEqual([sent[2]]);
    // Wire format: magic byte 0 then the schema id the registry gave for <topic>-value.
    const [raw] = await readAll(bed.kafka, bed.names.of('bars'), 1);
    const bytes = raw!.value as Buffer;
    expect(bytes[0]).toBe(0);
    const res = await fetch(
      `${process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7'}/subjects/${bed.names.of('bars')}-value/versions/latest`,
    );
    expect(((await res.json()) as { id: number }).id).toBe(bytes.readUInt32BE(1));
  });

  it('sends a bad magic byte and an unknown schema id to the dead-letter topic and keeps consuming', async () => {
    const topic = bed.names.of('bars');
    const unknownId = Buffer.alloc(12);
    unknownId.writeUInt8(0, 0);
    unknownId.writeUInt32BE(2_000_000_000, 1);
    const good = bar('TSLA', 7);
    // Same key, so all three land in one partition in this order.
    await bed.producer.send({
      topic,
      messages: [
        { key: 'TSLA', value: Buffer.from('{"not":"avro"}') },
        { key: 'TSLA', value: unknownId },
        { key: 'TSLA', value: await bed.codec.encode('bars', good) },
      ],
    });
    const got: Bar[] = [];
    await reader('dlq', async (records) => {
      got.push(...records.map((r) => r.value).filter((b) => b.symbol === 'TSLA'));
    });
    await eventually(() => got.length === 1, 20000, 'the good record after two bad ones');
    expect(got[0]).toEqual(good);

    // Dead letters are at-least-once like everything else: a redelivery (a rebalance while the
    // registry is slow) may write one twice, and a reader tells copies apart by the dlq.source.*
    // headers. Read until both source records are there and keep the first copy of each.
    const offsetOf = (m: { headers?: Record<string, unknown> }) =>
      String(m.headers?.[DLQ_HEADERS.sourceOffset]);
    const all = await readAll(
      bed.kafka,
      bed.names.of('deadLetters'),
      (msgs) => new Set(msgs.map(offsetOf)).size >= 2,
    );
    const dead = all.filter((m, i) => all.findIndex((o) => offsetOf(o) === offsetOf(m)) === i);
    const reasons = dead.map((m) => String(m.headers?.[DLQ_HEADERS.reasonCode]));
    expect(reasons).toEqual(['BAD_MAGIC_BYTE', 'UNKNOWN_SCHEMA_ID']);
    expect(Number(offsetOf(dead[1]!))).toBe(Number(offsetOf(dead[0]!)) + 1);
    expect(String(dead[0]!.headers?.[DLQ_HEADERS.sourceTopic])).toBe(topic);
    expect(String(dead[0]!.headers?.[DLQ_HEADERS.reason])).toMatch(/magic byte/);
    expect(dead[0]!.value?.toString()).toBe('{"not":"avro"}');
    expect(String(dead[1]!.headers?.[DLQ_HEADERS.reason])).toMatch(/2000000000/);
  });

  it('dead-letters a record its handler refuses as non-retryable, and handles the rest of the batch', async () => {
    const topic = bed.names.of('bars');
    const poison = bar('NVDA', 1);
    const fine = [bar('NVDA', 2), bar('NVDA', 3)];
    await producer.send(
      'bars',
      [poison, ...fine].map((value) => ({ key: value.symbol, value })),
    );
    const handled: number[] = [];
    await reader('poison', async (records) => {
      for (const r of records) {
        if (r.value.symbol !== 'NVDA') continue;
        if (r.value.start_time === poison.start_time)
          throw new TickstreamError('IMPOSSIBLE_BAR', 'poison bar');
      }
      handled.push(...records.filter((r) => r.value.symbol === 'NVDA').map((r) => r.value.start_time));
    });
    await eventually(() => fine.every((b) => handled.includes(b.start_time)), 20000, 'the fine bars');
    expect(handled).not.toContain(poison.start_time);
    const isRefused = (m: { headers?: Record<string, unknown> }) =>
      String(m.headers?.[DLQ_HEADERS.reasonCode]) === 'IMPOSSIBLE_BAR';
    const dead = await readAll(bed.kafka, bed.names.of('deadLetters'), (msgs) => msgs.some(isRefused));
    const refused = dead.find(isRefused);
    expect(refused).toBeDefined();
    expect(String(refused!.headers?.[DLQ_HEADERS.sourceTopic])).toBe(topic);
  });

  it('commits once in a while, not after every batch, and everything handled when it stops', async () => {
    // Each bar of its own symbol, so the batch of one fetch spans most of the six partitions.
    const first = Array.from({ length: 24 }, (_, i) => bar(`C${i}`, i));
    await producer.send(
      'bars',
      first.map((value) => ({ key: value.symbol, value })),
    );
    const metrics = new Registry();
    bindKafkaMetrics(bed.kafka, metrics);
    let commits = 0;
    let batches = 0;
    const got: Bar[] = [];
    const c = await reader('commits', async (records) => {
      batches++;
      got.push(...records.map((r) => r.value).filter((b) => b.symbol.startsWith('C')));
    });
    c.consumer.on(c.consumer.events.COMMIT_OFFSETS, () => void commits++);
    await eventually(() => got.length >= first.length, 20000, 'the first bars');
    // KafkaJS's autoCommit commits after each batch; one commit per second at most here.
    expect(batches).toBeGreaterThan(2);
    expect(commits).toBeLessThan(batches);
    // Each handled record's age at the handler is recorded for its group and topic.
    const text = await metrics.metrics();
    const age = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('kafka_consumer_record_age_seconds_count{') &&
          l.includes(`consumergroup="${bed.names.group('commits')}"`),
      );
    expect(Number(age?.split(' ').at(-1))).toBeGreaterThanOrEqual(first.length);
    // Counted per batch in the consumer and written at the scrape: records, the newest record's
    // time, each handled partition's lag (none left) and the fetches.
    const series = (name: string) =>
      text
        .split('\n')
        .filter(
          (l) => l.startsWith(`${name}{`) && l.includes(`consumergroup="${bed.names.group('commits')}"`),
        )
        .map((l) => Number(l.split(' ').at(-1)));
    expect(series('kafka_consumer_records_total').reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(
      first.length,
    );
    expect(series('kafka_consumer_last_record_timestamp_seconds')[0]).toBeGreaterThan(
      Date.now() / 1000 - 120,
    );
    const lags = series('kafka_consumergroup_lag');
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((l) => l === 0)).toBe(true);
    expect(series('kafka_consumer_fetches_total')[0]).toBeGreaterThanOrEqual(1);

    // Stopped well within the commit interval: the stop itself commits, so a new member of the
    // group starts after the handled records and sees only the new ones.
    await c.stop();
    consumers.splice(consumers.indexOf(c), 1);
    const second = [bar('C0', 100), bar('C1', 101)];
    await producer.send(
      'bars',
      second.map((value) => ({ key: value.symbol, value })),
    );
    const again: Bar[] = [];
    await reader('commits', async (records) => {
      again.push(...records.map((r) => r.value).filter((b) => b.symbol.startsWith('C')));
    });
    await eventually(() => again.length >= second.length, 20000, 'the new bars');
    await new Promise((r) => setTimeout(r, 500));
    expect(again).toEqual(expect.arrayContaining(second));
    expect(again).toHaveLength(second.length);
  });
});
