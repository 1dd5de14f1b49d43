import { randomUUID } from 'node:crypto';
import type { Bar, FeatureVector, OrderCommand, Quote, SymbolSnapshot } from '@tickstream/contracts';
import { FEATURE_SET_VERSION } from '@tickstream/contracts';
import type { AvroTopicId, ValueOf, TypedProducer } from '@tickstream/platform';
import { DLQ_HEADERS } from '@tickstream/platform';
import { eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { subscribedUser } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll, typedProducer } from '../support/kafka';
import { quote } from '../support/records';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startService } from '../support/service-process';

/**
 * Records no consumer can decode: not Confluent-framed, an unknown schema id, and a valid record
 * of the topic cut short.
 */
function malformed(valid: Buffer): Buffer[] {
  const unknownId = Buffer.from([0, 0x77, 0x35, 0x94, 0x00, 1, 2, 3]);
  return [Buffer.from('{"symbol":"AAPL"}'), unknownId, valid.subarray(0, 8)];
}

const bar = (symbol: string, i: number): Bar => ({
  symbol,
  start_time: Date.UTC(2026, 10, 2, 14, 30) + i * 60000,
  interval_ms: 60000,
  open: 100 + Math.sin(i),
  high: 101 + Math.sin(i),
  low: 99 + Math.sin(i),
  close: 100 + Math.sin(i) + (i % 3) / 10,
  volume: 1000 + i,
  trade_count: null,
  vwap: null,
  is_update: false,
  ingest_time: Date.now(),
  source: 'sim',
});

// Every consuming service gets undecodable records on each of its input topics, then good ones:
// the bad ones land in the dead-letter topic with the reason and the consumer group in headers,
// and the good ones are processed.
describe('malformed records on every input topic', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const services: ServiceProcess[] = [];
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('malformed');
    producer = await typedProducer(bed);
    const env = isolatedEnv(bed.prefix, {
      INGEST_SOURCE: 'sim',
      SIM_HISTORY_BARS: '0',
      DEFAULT_SYMBOLS: 'SPY',
    });
    // One at a time: they register the same schema subjects.
    for (const name of ['features', 'inference', 'orders', 'gateway', 'ingest'])
      services.push(await startService(name, env));
  }, 240000);

  afterAll(async () => {
    socket?.close();
    for (const s of services) await s.stop();
    await producer.disconnect();
    await bed.close();
  });

  async function poison<T extends AvroTopicId>(id: T, key: string, sample: ValueOf<T>): Promise<void> {
    const valid = await bed.codec.encode(id, sample);
    await bed.producer.send({
      topic: bed.names.of(id),
      messages: malformed(valid).map((value) => ({ key, value })),
    });
  }

  it('dead-letters them with the reason and goes on with the good records', async () => {
    const gateway = `http://127.0.0.1:${services[3]!.port}`;
    const { user, socket: subscribed } = await subscribedUser(gateway, 'malformed', ['AAPL']);
    socket = subscribed;

    const vector: FeatureVector = {
      symbol: 'TSLA',
      bar_time: Date.now(),
      interval_ms: 60000,
      feature_set_version: FEATURE_SET_VERSION,
      close: 200,
      ret_1: 0.001,
      ret_5: 0.002,
      sma20_dist: 0.01,
      ema12_26_spread: 0.001,
      macd_hist_norm: 0.0001,
      rsi14: 0.55,
      bb_pctb: 0.6,
      bb_width: 0.02,
      atr14_pct: 0.01,
      stoch_k: 0.5,
      stoch_d: 0.5,
      vol_ratio20: 1.1,
      vwap_dist: 0.001,
      bar_ingest_time: Date.now(),
      computed_time: Date.now(),
    };
    const command: OrderCommand = {
      command_id: randomUUID(),
      action: 'PLACE',
      account_id: user.user.id,
      order_id: randomUUID(),
      client_order_id: randomUUID(),
      symbol: 'AAPL',
      side: 'BUY',
      qty: 1,
      order_type: 'LIMIT',
      time_in_force: 'DAY',
      limit_price: 1,
      stop_price: null,
      broker: 'SIM',
      issued_at: Date.now(),
    };
    const now = Date.now();
    const future: Quote = { ...quote('AAPL', 10), event_time: now + 86_400_000 };
    const demand = { symbol: 'NVDA', demand: 1, updated_at: now };

    await poison('bars', 'MSFT', bar('MSFT', 0));
    await poison('features', 'TSLA', vector);
    await poison('orderCommands', user.user.id, command);
    await poison('quotes', 'AAPL', future);
    await poison('controlSymbols', 'NVDA', demand);

    // Good records after the bad ones.
    await producer.send(
      'bars',
      Array.from({ length: 40 }, (_, i) => bar('MSFT', i)).map((value) => ({ key: value.symbol, value })),
    );
    await producer.send('features', [{ key: 'TSLA', value: vector }]);
    await producer.send('orderCommands', [{ key: command.account_id, value: command }]);
    await producer.send('quotes', [{ key: 'AAPL', value: future }]);
    await producer.send('controlSymbols', [{ key: 'NVDA', value: demand }]);

    // On a time-out, say what the services logged (LOG_LEVEL=warn: refusals and errors).
    const keysOf = async (id: AvroTopicId, key: string) =>
      (
        await readAll(
          bed.kafka,
          bed.names.of(id),
          (m) => m.some((x) => x.key?.toString() === key),
          90000,
        ).catch((err: Error) => {
          throw new Error(`${err.message}\n${services.map((p) => p.output().slice(-1500)).join('\n---\n')}`);
        })
      ).map((m) => m.key?.toString());
    expect(await keysOf('features', 'MSFT')).toContain('MSFT'); // features processed the good bars
    expect(await keysOf('predictions', 'TSLA')).toContain('TSLA'); // inference scored the good vector
    const events = await readAll(bed.kafka, bed.names.of('orderEvents'), (m) => m.length >= 1, 60000);
    expect(events[0]!.key?.toString()).toBe(user.user.id); // orders handled the good command
    // Ingest simulates AAPL too (the watchlist made it wanted), so live quotes supersede ours;
    // its event time is in the future, so the gateway's snapshot keeps it once processed.
    await eventually(
      async () => {
        await socket!.timeout(5000).emitWithAck('unsubscribe', ['AAPL']);
        const snap = new Promise<SymbolSnapshot>((resolve) => socket!.once('snapshot', resolve));
        await socket!.timeout(5000).emitWithAck('subscribe', ['AAPL']);
        return (await snap).quote?.bid_price === 10;
      },
      20000,
      'the good quote in the gateway snapshot',
    );
    expect(await keysOf('trades', 'NVDA')).toContain('NVDA'); // ingest followed the good demand record

    const groupsOf = (prefix: string) => (m: { headers?: Record<string, unknown> }) =>
      String(m.headers?.[DLQ_HEADERS.group]).startsWith(bed.prefix + prefix);
    const expected = [
      ['features', 'bars'],
      ['inference', 'features'],
      ['orders', 'orderCommands'],
      ['gateway', 'quotes'],
      ['ingest-demand', 'controlSymbols'],
    ] as const;
    const fromTopic = (topic: AvroTopicId) => (m: { headers?: Record<string, unknown> }) =>
      String(m.headers?.[DLQ_HEADERS.sourceTopic]) === bed.names.of(topic);
    // Wait for each group's dead letters of its poisoned topic (the gateway also reads bars).
    const dead = await readAll(
      bed.kafka,
      bed.names.of('deadLetters'),
      (m) => expected.every(([g, t]) => m.filter(groupsOf(g)).filter(fromTopic(t)).length >= 3),
      60000,
    );
    for (const [group, topic] of expected) {
      // A group that reads several poisoned topics (the gateway reads bars and quotes) has more.
      // At-least-once: a record may be dead-lettered again after a rebalance; count each source
      // position once.
      const position = (m: (typeof dead)[number]) =>
        `${String(m.headers?.[DLQ_HEADERS.sourcePartition])}@${String(m.headers?.[DLQ_HEADERS.sourceOffset])}`;
      const mine = [
        ...new Map(
          dead
            .filter(groupsOf(group))
            .filter(fromTopic(topic))
            .map((m) => [position(m), m]),
        ).values(),
      ];
      expect(mine.map((m) => String(m.headers?.[DLQ_HEADERS.reasonCode])).sort()).toEqual([
        'BAD_MAGIC_BYTE',
        'MALFORMED_AVRO',
        'UNKNOWN_SCHEMA_ID',
      ]);
      expect(mine.every((m) => String(m.headers?.[DLQ_HEADERS.reason]).length > 10)).toBe(true);
    }
  }, 300000);
});
