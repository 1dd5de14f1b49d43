import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReplaySource } from '../../../src/sources';
import { capturingLogger, collectingSink } from '../support';

const T0 = Date.UTC(2025, 10, 20, 14, 30);
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

async function files(): Promise<{ csv: string; ndjson: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'replay-'));
  const csv = join(dir, 'bars.csv');
  const ndjson = join(dir, 'ticks.ndjson');
  await writeFile(
    csv,
    [
      'symbol,timestamp,open,high,low,close,volume',
      ...[0, 1, 2].map((i) => `AAPL,${iso(T0 + i * MIN)},100,101,99,100,10`),
      'AAPL,not-a-time,1,1,1,1,1',
      `MSFT,${iso(T0)},5,6,4,5,1`,
    ].join('\n'),
  );
  await writeFile(
    ndjson,
    [
      JSON.stringify({ type: 'trade', symbol: 'AAPL', event_time: T0 + 30_000, price: 100.1, size: 5 }),
      JSON.stringify({
        symbol: 'AAPL',
        timestamp: iso(T0 + 90_000),
        bid_price: 100,
        bid_size: 200,
        ask_price: 100.1,
        ask_size: 100,
      }),
      '{broken',
      JSON.stringify({
        type: 'quote',
        symbol: 'AAPL',
        event_time: T0 + 100_000,
        bid_price: 101,
        bid_size: 1,
        ask_price: 100,
        ask_size: 1,
      }),
      JSON.stringify({
        type: 'trade',
        symbol: 'AAPL',
        event_time: T0 + 150_000,
        price: 100.2,
        size: 1,
        trade_id: 'x9',
      }),
    ].join('\n'),
  );
  return { csv, ndjson };
}

describe('replay source', () => {
  it('merges files in time order at full speed, skipping bad rows with their line numbers', async () => {
    const { csv, ndjson } = await files();
    const sink = collectingSink();
    const logger = capturingLogger();
    const order: string[] = [];
    const src = createReplaySource({
      sink: {
        trade: (t) => (order.push(`t@${t.event_time - T0}`), sink.trade(t)),
        quote: (q) => (order.push(`q@${q.event_time - T0}`), sink.quote(q)),
        bar: (b) => (order.push(`b@${b.start_time - T0}`), sink.bar(b)),
      },
      files: [csv, ndjson],
      speed: 'max',
      logger,
      clock: () => 5,
    });
    await src.start();
    const stats = await src.done();
    // Bars count at their close: the 14:30 bar comes after the 14:30:30 trade. The MSFT row went
    // back in time within its file, so it is published when read, not dropped.
    expect(order).toEqual(['t@30000', 'b@0', 'q@90000', 'b@60000', 't@150000', 'b@120000', 'b@0']);
    expect(stats).toEqual({ delivered: 7, badRows: 3, outOfOrder: 1, filtered: 0 });
    expect(sink.trades[1]).toEqual({
      symbol: 'AAPL',
      event_time: T0 + 150_000,
      ingest_time: 5,
      price: 100.2,
      size: 1,
      trade_id: 'x9',
      exchange: null,
      conditions: [],
      tape: null,
      source: 'replay',
    });
    const bad = logger.lines.filter((l) => l.msg.startsWith('replay: ')).map((l) => l.msg);
    expect(bad.sort()).toEqual([
      expect.stringMatching(/bars\.csv:5: invalid timestamp$/),
      expect.stringMatching(/ticks\.ndjson:3: invalid JSON$/),
      expect.stringMatching(/ticks\.ndjson:4: crossed quote: bid 101 > ask 100$/),
    ]);
    expect(src.state).toBe('stopped');
  });

  it('publishes only the wanted symbols', async () => {
    const { csv } = await files();
    const sink = collectingSink();
    const src = createReplaySource({ sink, files: [csv], speed: 'max', symbols: ['MSFT'] });
    await src.start();
    expect(await src.done()).toMatchObject({ delivered: 1, filtered: 3 });
    expect(sink.bars.map((b) => b.symbol)).toEqual(['MSFT']);
  });

  it('paces by market time at N x speed, and stop() cuts a long wait short', async () => {
    const { csv } = await files();
    const fast = createReplaySource({ sink: collectingSink(), files: [csv], speed: 3000, symbols: ['AAPL'] });
    const began = Date.now();
    await fast.start();
    await fast.done();
    // Three bars a minute apart at 3000x: two gaps of 20 ms.
    expect(Date.now() - began).toBeGreaterThanOrEqual(35);

    // Stop once the first bar is out and the source waits a market minute for the next. Not a
    // fixed sleep: on a busy machine reading the file can take longer than any sleep, and a stop
    // before the first bar rightly publishes nothing.
    const sink = collectingSink();
    const firstBar = new Promise<void>((resolve) => {
      const bar = sink.bar;
      sink.bar = (b) => (bar(b), resolve());
    });
    const slow = createReplaySource({ sink, files: [csv], speed: 1, symbols: ['AAPL'] });
    await slow.start();
    await firstBar;
    const stopAt = Date.now();
    await slow.stop();
    expect(Date.now() - stopAt).toBeLessThan(1000);
    expect(sink.bars).toHaveLength(1);
    expect(slow.state).toBe('stopped');
  });
});
