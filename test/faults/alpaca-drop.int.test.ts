import type { Trade } from '@tickstream/contracts';
import { FakeAlpaca, fakeTrade } from '../support/fake-alpaca';
import { eventually } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

// The Alpaca feed drops the connection (twice, once while frames are flowing): ingest reconnects
// with back-off, resubscribes, marks the gap in its log and metrics, and publishes what follows.
describe('the Alpaca feed drops', () => {
  let bed: KafkaTestbed;
  let alpaca: FakeAlpaca;
  let ingest: ServiceProcess;

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-alpaca-drop');
    alpaca = await FakeAlpaca.start();
    ingest = await startService('ingest', {
      ...alpaca.ingestEnv(bed.prefix, 'msgpack', ['AAPL']),
      LOG_LEVEL: 'info',
    });
  }, 90000);

  afterAll(async () => {
    await ingest?.stop();
    await alpaca?.close();
    await bed?.close();
  });

  const count = async () =>
    (await bed.admin.fetchTopicOffsets(bed.names.of('trades'))).reduce((n, p) => n + Number(p.high), 0);
  const subscribed = () =>
    [...alpaca.stream.clients].some((c) => c.authenticated && c.subscriptions.trades.has('AAPL'));

  it('reconnects, logs the gap, counts it, and resumes publishing', async () => {
    await eventually(subscribed, 15000, 'the subscription');
    alpaca.push([fakeTrade('AAPL', 1), fakeTrade('AAPL', 2)]);
    await eventually(
      async () => (await metric(ingest.port, 'ingest_records_published_total')) >= 2,
      10000,
      'the first trades',
    );

    for (let drop = 1; drop <= 2; drop++) {
      alpaca.push([fakeTrade('AAPL', 10 * drop)]);
      alpaca.dropConnections();
      await eventually(
        () => alpaca.stream.connectionCount >= drop + 1 && subscribed(),
        20000,
        `reconnect ${drop}`,
      );
      alpaca.push([fakeTrade('AAPL', 10 * drop + 1)]);
    }
    const decodeAll = async () =>
      Promise.all(
        (await readAll(bed.kafka, bed.names.of('trades'), await count())).map((m) =>
          bed.codec.decode('trades', m.value),
        ),
      );
    const trades: Trade[] = await eventually(
      async () => {
        const all = await decodeAll();
        return all.some((t) => t.trade_id === '21') && all;
      },
      20000,
      'the trade after the second reconnect',
    );
    const ids = trades.map((t) => Number(t.trade_id));
    // The frame sent with each drop may be lost with the connection; what follows the reconnect is not.
    expect(ids.filter((i) => i % 10 !== 0)).toEqual([1, 2, 11, 21]);
    await eventually(
      async () => (await metric(ingest.port, 'ingest_feed_reconnects_total')) === 2,
      10000,
      'two reconnects counted',
    );
    expect(await metric(ingest.port, 'ingest_feed_up')).toBe(1);

    const log = ingest.output();
    expect(log.match(/alpaca stream: connection closed, reconnecting/g)).toHaveLength(2);
    // The gap is bounded by the state changes: reconnecting (with the close code), then running.
    const states = [...log.matchAll(/"state":"(\w+)"[^\n]*"msg":"feed state"/g)].map((m) => m[1]);
    expect(states.slice(-4)).toEqual(['reconnecting', 'running', 'reconnecting', 'running']);
    expect(ingest.child.exitCode).toBeNull();
  }, 90000);
});
