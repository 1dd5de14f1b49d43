import type { Bar, Quote, Trade } from '@tickstream/contracts';
import { FakeAlpaca, fakeTrade } from '../../../test/support/fake-alpaca';
import { eventually } from '../../../test/support/env';
import type { KafkaTestbed } from '../../../test/support/kafka';
import { kafkaTestbed, readAll, typedProducer } from '../../../test/support/kafka';
import type { ServiceProcess } from '../../../test/support/service-process';
import { startService } from '../../../test/support/service-process';

const quote = (S: string, i: number) => ({
  T: 'q' as const,
  S,
  bx: 'V',
  bp: 99 + i / 100,
  bs: 3,
  ax: 'V',
  ap: 99.02 + i / 100,
  as: 2,
  c: ['R'],
  t: new Date(Date.UTC(2026, 10, 20, 15, 30, 1, i)).toISOString(),
  z: 'C',
});
const bar = (S: string, minute: number) => ({
  T: 'b' as const,
  S,
  o: 100,
  h: 101,
  l: 99.5,
  c: 100.5,
  v: 1200,
  n: 12,
  vw: 100.2,
  t: new Date(Date.UTC(2026, 10, 20, 15, minute)).toISOString(),
});

// The ingest service as a process, fed by a local server speaking Alpaca's stream protocol,
// publishing into the real broker under a test-only topic prefix.
describe.each(['json', 'msgpack'] as const)(
  'ingest service with the Alpaca source (%s framing)',
  (framing) => {
    let bed: KafkaTestbed;
    let alpaca: FakeAlpaca;
    let ingest: ServiceProcess;

    beforeAll(async () => {
      bed = await kafkaTestbed(`ingest-${framing}`);
      alpaca = await FakeAlpaca.start();
      ingest = await startService('ingest', alpaca.ingestEnv(bed.prefix, framing, ['AAPL', 'MSFT']));
    }, 90000);

    afterAll(async () => {
      await ingest?.stop();
      await alpaca?.close();
      await bed?.close();
    });

    it('publishes batched trades, quotes and bars, decoded and in order per symbol, and nothing twice across a reconnect', async () => {
      alpaca.push([
        fakeTrade('AAPL', 1),
        fakeTrade('MSFT', 1),
        fakeTrade('AAPL', 2),
        quote('AAPL', 1),
        bar('AAPL', 30),
        fakeTrade('MSFT', 2),
      ]);
      alpaca.push([fakeTrade('AAPL', 3), quote('MSFT', 1)]);
      await eventually(
        async () =>
          (await bed.admin.fetchTopicOffsets(bed.names.of('trades'))).reduce(
            (n, p) => n + Number(p.high),
            0,
          ) >= 5,
        20000,
        'five trades',
      );

      alpaca.dropConnections();
      // After the reconnect the server replays the last frame (as a feed may) and then goes on.
      await eventually(
        () =>
          alpaca.stream.connectionCount >= 2 &&
          [...alpaca.stream.clients].some((c) => c.authenticated && c.subscriptions.trades.has('AAPL')),
        20000,
        'reconnect and resubscribe',
      );
      alpaca.push([fakeTrade('AAPL', 3), quote('MSFT', 1), fakeTrade('AAPL', 4)]);

      const trades = await readAll(bed.kafka, bed.names.of('trades'), 6);
      const decoded: Trade[] = await Promise.all(trades.map((m) => bed.codec.decode('trades', m.value)));
      const ids = (s: string) => decoded.filter((t) => t.symbol === s).map((t) => t.trade_id);
      expect(ids('AAPL')).toEqual(['1', '2', '3', '4']);
      expect(ids('MSFT')).toEqual(['1', '2']);
      expect(decoded.every((t) => t.source === 'alpaca' && t.ingest_time > 0 && t.exchange === 'V')).toBe(
        true,
      );

      const quotes: Quote[] = await Promise.all(
        (await readAll(bed.kafka, bed.names.of('quotes'), 2)).map((m) => bed.codec.decode('quotes', m.value)),
      );
      expect(quotes.map((q) => q.symbol).sort()).toEqual(['AAPL', 'MSFT']);
      expect(quotes.find((q) => q.symbol === 'AAPL')!.bid_size).toBe(300); // round lots to shares
      const bars: Bar[] = await Promise.all(
        (await readAll(bed.kafka, bed.names.of('bars'), 1)).map((m) => bed.codec.decode('bars', m.value)),
      );
      expect(bars[0]).toMatchObject({
        symbol: 'AAPL',
        open: 100,
        close: 100.5,
        volume: 1200,
        interval_ms: 60000,
        is_update: false,
      });
      // Nothing more arrives: the replayed frame was not published twice.
      await new Promise((r) => setTimeout(r, 1000));
      const offsets = await bed.admin.fetchTopicOffsets(bed.names.of('trades'));
      expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(6);
    }, 60000);

    it('follows symbol demand from control.symbols.v1 within seconds', async () => {
      const producer = await typedProducer(bed);
      await producer.send('controlSymbols', [
        { key: 'NVDA', value: { symbol: 'NVDA', demand: 2, updated_at: Date.now() } },
      ]);
      await eventually(
        () => [...alpaca.stream.clients].some((c) => c.subscriptions.trades.has('NVDA')),
        15000,
        'subscription to NVDA',
      );
      alpaca.push([fakeTrade('NVDA', 9)]);
      const got = await readAll(bed.kafka, bed.names.of('trades'), (msgs) =>
        msgs.some((m) => m.key?.toString() === 'NVDA'),
      );
      expect(got.some((m) => m.key?.toString() === 'NVDA')).toBe(true);

      await producer.send('controlSymbols', [
        { key: 'NVDA', value: { symbol: 'NVDA', demand: 0, updated_at: Date.now() } },
      ]);
      await eventually(
        () => [...alpaca.stream.clients].every((c) => !c.subscriptions.trades.has('NVDA')),
        15000,
        'unsubscribe from NVDA',
      );
      await producer.disconnect();
    }, 60000);
  },
);
