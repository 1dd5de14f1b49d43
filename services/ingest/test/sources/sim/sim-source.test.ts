import { createSimSource, runSimFullSpeed } from '../../../src/sources';
import { collectingSink, waitFor } from '../support';

const NOW = Date.UTC(2025, 10, 20, 15, 0, 20);
const MIN = 60_000;

describe('sim source', () => {
  let now = NOW;
  const clock = (): number => now;
  beforeEach(() => {
    now = NOW;
  });

  it('emits a warm history ending now, then runs live', async () => {
    const sink = collectingSink();
    const src = createSimSource({
      sink,
      symbols: ['SPY', 'AAPL'],
      seed: 1,
      historyBars: 50,
      tickMs: 5,
      clock,
    });
    await src.start();
    try {
      expect(sink.trades).toEqual([]);
      const spy = sink.bars.filter((b) => b.symbol === 'SPY');
      expect(spy).toHaveLength(50);
      expect(spy.at(-1)!.start_time + MIN).toBeLessThanOrEqual(NOW);
      expect(spy.at(-1)!.start_time + 2 * MIN).toBeGreaterThan(NOW);
      expect(spy.every((b) => b.ingest_time === NOW && b.source === 'sim')).toBe(true);

      now += 2 * MIN;
      await waitFor(() => sink.bars.length === 104 && sink.trades.length > 0 && sink.quotes.length > 0);
      expect(sink.trades.every((t) => t.event_time > NOW && t.event_time <= now)).toBe(true);
    } finally {
      await src.stop();
    }
    expect(src.state).toBe('stopped');
  });

  it('sends each live record when it is due, not in periodic bursts', async () => {
    // Fake timers move Date.now with them: every timer fires at exactly its time.
    jest.useFakeTimers({ now: NOW });
    try {
      const sink = collectingSink();
      const src = createSimSource({ sink, symbols: ['SPY', 'AAPL', 'TSLA'], seed: 3, historyBars: 0 });
      await src.start();
      jest.advanceTimersByTime(5000);
      await src.stop();
      const live = [...sink.trades, ...sink.quotes];
      expect(live.length).toBeGreaterThan(50);
      const late = live.map((r) => r.ingest_time - r.event_time);
      expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
      // Rounded up to the next millisecond at most; a 200 ms polling loop was up to 200 ms late.
      expect(Math.max(...late)).toBeLessThanOrEqual(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('is deterministic: same seed and start time, same history', async () => {
    const run = async (): Promise<unknown[]> => {
      const sink = collectingSink();
      const src = createSimSource({
        sink,
        symbols: ['QQQ'],
        seed: 11,
        historyBars: 30,
        barIntervalMs: 5000,
        clock,
      });
      await src.start();
      await src.stop();
      return sink.bars;
    };
    const a = await run();
    expect(a).toHaveLength(30);
    expect(await run()).toEqual(a);
  });

  it('starts an added symbol with its own history and stops a removed one', async () => {
    const sink = collectingSink();
    const src = createSimSource({ sink, symbols: ['SPY'], seed: 1, historyBars: 20, tickMs: 5, clock });
    await src.start();
    try {
      now += MIN;
      await waitFor(() => sink.bars.length === 21);
      await src.setSymbols(['NVDA']);
      expect(sink.bars.filter((b) => b.symbol === 'NVDA')).toHaveLength(20);
      const spyTrades = sink.trades.filter((t) => t.symbol === 'SPY').length;
      now += MIN;
      await waitFor(() => sink.bars.filter((b) => b.symbol === 'NVDA').length === 21);
      expect(sink.trades.filter((t) => t.symbol === 'SPY').length).toBe(spyTrades);
      await expect(src.setSymbols(['nvda'])).rejects.toMatchObject({ code: 'INVALID_SYMBOL' });
    } finally {
      await src.stop();
    }
  });

  it('full speed: exactly N records, no timers', async () => {
    let count = 0;
    const sink = { trade: () => void count++, quote: () => void count++, bar: () => void count++ };
    const result = await runSimFullSpeed({ sink, seed: 1, symbols: ['SPY', 'TSLA'], records: 25_000 });
    expect(result.records).toBe(25_000);
    expect(count).toBe(25_000);
    expect(result.simulatedMs).toBeGreaterThan(0);
  });
});
