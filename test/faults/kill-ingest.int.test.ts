import type { Trade } from '@tickstream/contracts';
import { FakeAlpaca, fakeTrade } from '../support/fake-alpaca';
import { eventually } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, readAll } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

// What "nothing published twice" means for ingest: the feed has no acknowledgement, so a record
// the dead process had buffered but not yet published is simply part of the gap (like records
// sent while it was down). What must hold is that no trade reaches md.trades.v1 twice (the
// idempotent producer and the resend-on-leader-loss path may retry, never duplicate), each
// symbol's trades stay in feed order, and everything sent after the restart is published.
describe('ingest killed with SIGKILL mid-stream and restarted', () => {
  let bed: KafkaTestbed;
  let alpaca: FakeAlpaca;
  let ingest: ServiceProcess | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-kill-ingest');
    // Two connections per key: under load the server may notice the killed process's socket
    // closing only after the restarted one authenticates (Alpaca would answer 406 until then).
    alpaca = await FakeAlpaca.start({ maxConnectionsPerKey: 2 });
  });

  afterAll(async () => {
    await ingest?.stop();
    await alpaca?.close();
    await bed?.close();
  });

  const env = () => ({ ...alpaca.ingestEnv(bed.prefix, 'json', SYMBOLS), INGEST_LINGER_MS: '20' });
  const subscribed = () =>
    [...alpaca.stream.clients].some(
      (c) => c.authenticated && SYMBOLS.every((s) => c.subscriptions.trades.has(s)),
    );
  const published = async () =>
    (await bed.admin.fetchTopicOffsets(bed.names.of('trades'))).reduce((n, p) => n + Number(p.high), 0);

  it('publishes no trade twice, keeps feed order, and publishes all that came after the restart', async () => {
    ingest = await startService('ingest', env());
    await eventually(subscribed, 15000, 'the first subscription');
    let i = 0;
    const pushSome = async (frames: number) => {
      for (let f = 0; f < frames; f++, i++) {
        alpaca.push(SYMBOLS.map((s) => fakeTrade(s, i)));
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    await pushSome(150);
    // Kill while frames are still arriving and batches are in flight.
    const killing = (async () => {
      await eventually(async () => (await published()) > 60, 15000, 'some trades published');
      await ingest!.kill();
    })();
    await Promise.all([pushSome(200), killing]);
    const beforeRestart = i;

    ingest = await startService('ingest', env());
    await eventually(subscribed, 15000, 'the subscription after the restart');
    const firstAfter = i;
    // The dead process publishes nothing more, so every record from here on is one sent after the
    // restart. (Waiting for a fixed total instead read the topic before the last of them landed
    // whenever many had been published before the kill.)
    const publishedAtRestart = await published();
    await pushSome(100);

    await eventually(
      async () => (await published()) >= publishedAtRestart + 100 * SYMBOLS.length,
      20000,
      'the trades after the restart',
    );
    const msgs = await readAll(bed.kafka, bed.names.of('trades'), await published());
    const trades: Trade[] = await Promise.all(msgs.map((m) => bed.codec.decode('trades', m.value)));
    for (const s of SYMBOLS) {
      const ids = trades.filter((t) => t.symbol === s).map((t) => Number(t.trade_id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      // Everything sent to the restarted process is there; the gap lies only around the kill.
      const expectedAfter = Array.from({ length: i - firstAfter }, (_, k) => firstAfter + k);
      expect(ids.filter((id) => id >= firstAfter)).toEqual(expectedAfter);
      expect(ids.filter((id) => id < beforeRestart).length).toBeGreaterThan(0);
    }
  }, 120000);
});
