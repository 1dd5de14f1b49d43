import { FAKE_KEY, FakeAlpaca } from '../../../../../test/support/fake-alpaca';
import type { AlpacaSource, AlpacaSourceOptions, Encoding } from '../../../src/sources';
import { createAlpacaSource } from '../../../src/sources';
import type { CapturingLogger, CollectingSink } from '../support';
import { capturingLogger, collectingSink, waitFor } from '../support';
import { bar, quote, trade } from './fixtures';

describe('alpaca stream source against the fake server', () => {
  let alpaca: FakeAlpaca;
  let sink: CollectingSink;
  let logger: CapturingLogger;
  const sources: AlpacaSource[] = [];

  function source(overrides: Partial<AlpacaSourceOptions> = {}): AlpacaSource {
    const s = createAlpacaSource({
      sink,
      logger,
      url: alpaca.url,
      feed: 'iex',
      keyId: FAKE_KEY.key,
      secretKey: FAKE_KEY.secret,
      symbols: ['AAPL', 'MSFT'],
      backoff: { initialMs: 10, maxMs: 50, connectionLimitMs: 200, jitter: 0.5 },
      clock: () => 42,
      ...overrides,
    });
    sources.push(s);
    return s;
  }

  beforeEach(async () => {
    alpaca = await FakeAlpaca.start({ connectedDelayMs: 30 });
    sink = collectingSink();
    logger = capturingLogger();
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
    await alpaca.close();
  });

  it('authenticates before "connected" arrives and gets the full subscription confirmed', async () => {
    const s = source();
    await s.start();
    expect(s.state).toBe('running');
    await waitFor(() => s.subscriptions().trades.length === 2);
    expect(s.subscriptions()).toEqual({
      trades: ['AAPL', 'MSFT'],
      quotes: ['AAPL', 'MSFT'],
      bars: ['AAPL', 'MSFT'],
      updatedBars: ['AAPL', 'MSFT'],
    });
    expect(alpaca.stream.log.map((l) => l.message.action)).toEqual(['auth', 'subscribe']);
  });

  it('adds and removes symbols with subscribe and unsubscribe', async () => {
    const s = source();
    await s.start();
    await s.setSymbols(['MSFT', 'BRK.B']);
    await waitFor(
      () => s.subscriptions().trades.includes('BRK.B') && !s.subscriptions().trades.includes('AAPL'),
    );
    const actions = alpaca.stream.log.map((l) => [l.message.action, l.message.trades]);
    expect(actions).toContainEqual(['unsubscribe', ['AAPL']]);
    expect(actions).toContainEqual(['subscribe', ['BRK.B']]);
  });

  describe.each<Encoding>(['json', 'msgpack'])('%s framing', (encoding) => {
    it('maps batched trades, quotes, bars and updatedBars', async () => {
      const s = source({ encoding });
      await s.start();
      await waitFor(() => s.subscriptions().bars.length === 2);
      expect([...alpaca.stream.clients][0]?.format).toBe(encoding);
      alpaca.push([
        trade('AAPL', 1),
        trade('MSFT', 2),
        quote('AAPL', 100, 100.02),
        bar('AAPL'),
        bar('AAPL', 'u', 1300),
        trade('TSLA', 3),
      ]);
      await waitFor(() => sink.bars.length === 2);
      expect(sink.trades).toEqual([
        {
          symbol: 'AAPL',
          event_time: Date.parse('2025-11-20T15:30:00.001Z'),
          ingest_time: 42,
          price: 100.01,
          size: 10,
          trade_id: '1',
          exchange: 'V',
          conditions: ['@'],
          tape: 'C',
          source: 'alpaca',
        },
        expect.objectContaining({ symbol: 'MSFT', trade_id: '2' }),
      ]);
      // Round lots on the wire, shares in the record.
      expect(sink.quotes).toEqual([
        expect.objectContaining({
          symbol: 'AAPL',
          bid_size: 300,
          ask_size: 200,
          bid_price: 100,
          ask_price: 100.02,
        }),
      ]);
      expect(
        sink.bars.map((b) => [b.start_time, b.interval_ms, b.volume, b.trade_count, b.vwap, b.is_update]),
      ).toEqual([
        [Date.parse('2025-11-20T15:30:00Z'), 60_000, 1200, 12, 100.2, false],
        [Date.parse('2025-11-20T15:30:00Z'), 60_000, 1300, 12, 100.2, true],
      ]);
      expect(s.stats().delivered).toEqual({ trades: 2, quotes: 1, bars: 2 });
    });
  });

  it('reconnects after a drop, resubscribes everything and delivers nothing twice', async () => {
    const states: string[] = [];
    const s = source({ onStateChange: (st) => states.push(st) });
    await s.start();
    await waitFor(() => s.subscriptions().trades.length === 2);
    alpaca.push([trade('AAPL', 1), trade('AAPL', 2)]);
    await waitFor(() => sink.trades.length === 2);

    alpaca.dropConnections();
    await waitFor(() => s.stats().connects === 2 && s.subscriptions().trades.length === 2);
    const subscribes = alpaca.stream.log.filter((l) => l.message.action === 'subscribe');
    expect(subscribes.map((l) => l.message.quotes)).toEqual([
      ['AAPL', 'MSFT'],
      ['AAPL', 'MSFT'],
    ]);
    // A server replaying the tail after the reconnect: the repeats are dropped, the new one kept.
    alpaca.push([trade('AAPL', 2), trade('AAPL', 3), bar('AAPL'), bar('AAPL')]);
    await waitFor(() => sink.trades.length === 3 && sink.bars.length === 1);
    expect(sink.trades.map((t) => t.trade_id)).toEqual(['1', '2', '3']);
    expect(s.stats().duplicates).toBe(2);
    expect(states).toEqual(['starting', 'running', 'reconnecting', 'running']);
  });

  it('402: bad keys fail the source for good, reported and counted', async () => {
    const errors: Array<[number | string, string]> = [];
    const s = source({ secretKey: 'wrong', onError: (code, msg) => errors.push([code, msg]) });
    await expect(s.start()).rejects.toMatchObject({ code: 'ALPACA_STREAM_402', retryable: false });
    expect(s.state).toBe('failed');
    expect(errors).toEqual([[402, 'auth failed']]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alpaca.stream.connectionCount).toBe(1);
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('402'))).toBe(true);
  });

  it('409: a plan without the feed fails the source without retrying', async () => {
    alpaca.failNext({ kind: 'auth', code: 409 });
    const s = source({ feed: 'sip' });
    await expect(s.start()).rejects.toMatchObject({ code: 'ALPACA_STREAM_409' });
    expect(s.stats().serverErrors).toEqual({ 409: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alpaca.stream.connectionCount).toBe(1);
  });

  it('406: a second connection on the feed retries with the long back-off until the first leaves', async () => {
    const first = source();
    await first.start();
    const errors: number[] = [];
    const second = source({ onError: (code) => void (typeof code === 'number' && errors.push(code)) });
    const started = second.start();
    await waitFor(() => errors.length === 1);
    expect(errors).toEqual([406]);
    expect(logger.lines.some((l) => l.msg.includes('one connection per feed'))).toBe(true);
    const refusedAt = Date.now();
    await first.stop();
    await started;
    // The retry waited for the connection-limit floor (200 ms here), not the 10 ms initial delay.
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(150);
    expect(second.state).toBe('running');
  });

  it('405: a refused subscribe is counted and logged; the stream keeps running', async () => {
    const errors: Array<number | string> = [];
    const s = source({ onError: (code) => errors.push(code) });
    await s.start();
    await waitFor(() => s.subscriptions().trades.length === 2);
    alpaca.failNext({ kind: 'subscribe', code: 405 });
    await s.setSymbols(['AAPL', 'MSFT', 'NVDA']);
    await waitFor(() => errors.length === 1);
    expect(errors).toEqual([405]);
    expect(s.state).toBe('running');
    expect(s.subscriptions().trades).toEqual(['AAPL', 'MSFT']);
    alpaca.push([trade('AAPL', 7)]);
    await waitFor(() => sink.trades.length === 1);
  });

  it('counts malformed frames, unknown types and impossible records without crashing', async () => {
    const errors: Array<number | string> = [];
    const s = source({ onError: (code) => errors.push(code), logSampleEvery: 3 });
    await s.start();
    await waitFor(() => s.subscriptions().trades.length === 2);
    alpaca.pushRaw('this is not json');
    alpaca.pushRaw('{"T":"t"}');
    alpaca.push([
      { T: 'zz', S: 'AAPL' },
      { ...trade('AAPL', 1), p: Number.NaN },
      { ...trade('AAPL', 2), s: 0 },
      quote('AAPL', 101, 100),
      { ...bar('AAPL'), h: 99 },
      { T: 's', S: 'AAPL' },
      trade('AAPL', 3),
    ]);
    await waitFor(() => sink.trades.length === 1);
    expect(sink.trades[0]?.trade_id).toBe('3');
    expect(sink.quotes).toEqual([]);
    expect(sink.bars).toEqual([]);
    expect(s.stats().rejected).toEqual({ malformed_frame: 2, unknown_message: 1, invalid_record: 4 });
    expect(errors).toHaveLength(7);
    // Sampled: the 1st and every 3rd of each kind is logged, all are counted.
    const logged = logger.lines.filter((l) => 'code' in l.obj && l.obj.code === 'invalid_record');
    expect(logged.map((l) => (l.obj as { occurrences: number }).occurrences)).toEqual([1, 3]);
    expect(s.state).toBe('running');
  });
});
