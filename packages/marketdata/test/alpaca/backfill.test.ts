import type { FakeRestBar } from '../../../../test/support/fake-alpaca';
import { FAKE_KEY, FakeAlpaca } from '../../../../test/support/fake-alpaca';
import type { Bar } from '@tickstream/contracts';
import type { BackfillOptions } from '../../src';
import { backfillBars, timeframeMs } from '../../src';

const minute = (i: number, close: number): FakeRestBar => ({
  t: new Date(Date.UTC(2025, 10, 20, 14, 30 + i)).toISOString(),
  o: close - 0.1,
  h: close + 0.2,
  l: close - 0.3,
  c: close,
  v: 1000 + i,
  n: 10 + i,
  vw: close - 0.05,
});

describe('backfillBars against the fake REST API', () => {
  let alpaca: FakeAlpaca;

  beforeEach(async () => {
    alpaca = await FakeAlpaca.start();
    alpaca.setBars(
      'AAPL',
      [0, 1, 2, 3, 4].map((i) => minute(i, 200 + i)),
    );
    alpaca.setBars(
      'MSFT',
      [0, 1, 2].map((i) => minute(i, 500 + i)),
    );
  });
  afterEach(() => alpaca.close());

  const options = (overrides: Partial<BackfillOptions> = {}): BackfillOptions => ({
    symbols: ['MSFT', 'AAPL'],
    start: new Date(Date.UTC(2025, 10, 20)),
    end: '2025-11-21T00:00:00Z',
    limit: 3,
    baseUrl: alpaca.restUrl,
    keyId: FAKE_KEY.key,
    secretKey: FAKE_KEY.secret,
    retryInitialMs: 5,
    clock: () => 7,
    ...overrides,
  });

  async function collect(opts: BackfillOptions): Promise<Bar[]> {
    const out: Bar[] = [];
    for await (const b of backfillBars(opts)) out.push(b);
    return out;
  }

  it('follows next_page_token across pages, through a 429 with Retry-After', async () => {
    alpaca.failNext({ kind: 'bars', status: 429, retryAfterSec: 0 });
    const bars = await collect(options());
    expect(bars.map((b) => `${b.symbol}@${b.close}`)).toEqual([
      'AAPL@200',
      'AAPL@201',
      'AAPL@202',
      'AAPL@203',
      'AAPL@204',
      'MSFT@500',
      'MSFT@501',
      'MSFT@502',
    ]);
    expect(bars[0]).toEqual({
      symbol: 'AAPL',
      start_time: Date.UTC(2025, 10, 20, 14, 30),
      interval_ms: 60_000,
      open: 199.9,
      high: 200.2,
      low: 199.7,
      close: 200,
      volume: 1000,
      trade_count: 10,
      vwap: 199.95,
      is_update: false,
      ingest_time: 7,
      source: 'alpaca',
    });
    const requests = alpaca.bars.requests;
    expect(requests).toHaveLength(4);
    expect(requests.map((u) => u.searchParams.has('page_token'))).toEqual([false, false, true, true]);
    expect(Object.fromEntries(requests[0]!.searchParams)).toMatchObject({
      symbols: 'MSFT,AAPL',
      timeframe: '1Min',
      limit: '3',
      feed: 'iex',
      adjustment: 'raw',
      start: '2025-11-20T00:00:00.000Z',
    });
  });

  it('backs off exponentially without Retry-After and gives up after maxRetries', async () => {
    for (let i = 0; i < 3; i++) alpaca.failNext({ kind: 'bars', status: 429 });
    await expect(collect(options({ maxRetries: 2 }))).rejects.toMatchObject({
      code: 'ALPACA_REST_429',
      retryable: true,
    });
    expect(alpaca.bars.requests).toHaveLength(3);
  });

  it('does not retry a refusal that retrying cannot fix', async () => {
    await expect(collect(options({ secretKey: 'wrong' }))).rejects.toMatchObject({
      code: 'ALPACA_REST_403',
      retryable: false,
    });
    expect(alpaca.bars.requests).toHaveLength(1);
  });

  it('maps timeframes to interval_ms and refuses months', () => {
    expect(timeframeMs('5Min')).toBe(300_000);
    expect(timeframeMs('1Day')).toBe(86_400_000);
    expect(() => timeframeMs('1Month')).toThrow(/unsupported timeframe/);
  });
});
