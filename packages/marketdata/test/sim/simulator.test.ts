import type { MarketEvent } from '@tickstream/marketdata';
import { createMarketSimulator, eventTime } from '@tickstream/marketdata';

const START = Date.UTC(2025, 10, 20, 13, 30);
const MIN = 60_000;

const of = (events: MarketEvent[], symbol: string): MarketEvent[] =>
  events.filter((e) => e.record.symbol === symbol);

describe('market simulator', () => {
  it('gives identical records for the same seed and start time, different ones for another seed', () => {
    const run = (seed: number): MarketEvent[] =>
      createMarketSimulator({ seed, symbols: ['SPY', 'TSLA'], startTime: START }).step(START + 3 * MIN);
    const a = run(7);
    expect(a.length).toBeGreaterThan(500);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('does not depend on how finely step() is called', () => {
    const coarse = createMarketSimulator({ seed: 1, symbols: ['AAPL'], startTime: START }).step(
      START + 5 * MIN,
    );
    const fine = createMarketSimulator({ seed: 1, symbols: ['AAPL'], startTime: START });
    const pieces: MarketEvent[] = [];
    for (let t = START + 137; t <= START + 5 * MIN; t += 137) pieces.push(...fine.step(t));
    pieces.push(...fine.step(START + 5 * MIN));
    expect(pieces).toEqual(coarse);
  });

  it('tells when its next event is due: stepping to exactly that time yields it, earlier yields nothing', () => {
    const sim = createMarketSimulator({
      seed: 5,
      symbols: ['SPY', 'NVDA'],
      startTime: START,
      barIntervalMs: 5000,
    });
    let seen = 0;
    for (let i = 0; i < 300; i++) {
      const next = sim.nextEventTime();
      expect(sim.step(next - 1)).toEqual([]);
      const due = sim.step(next);
      expect(due.length).toBeGreaterThan(0);
      expect(due.every((e) => eventTime(e) === next)).toBe(true);
      seen += due.length;
    }
    expect(seen).toBeGreaterThanOrEqual(300);
    expect(createMarketSimulator({ seed: 5 }).nextEventTime()).toBe(Infinity);
  });

  it("adding a symbol leaves the other symbols' streams unchanged", () => {
    const two = createMarketSimulator({ seed: 3, symbols: ['SPY', 'AAPL'], startTime: START }).step(
      START + 2 * MIN,
    );
    const three = createMarketSimulator({ seed: 3, symbols: ['NVDA', 'SPY', 'AAPL'], startTime: START }).step(
      START + 2 * MIN,
    );
    expect(of(three, 'SPY')).toEqual(of(two, 'SPY'));
    expect(of(three, 'AAPL')).toEqual(of(two, 'AAPL'));
    expect(of(three, 'NVDA').length).toBeGreaterThan(0);
  });

  it('aggregates its bars from its own trades, one per interval, trades at the quotes', () => {
    const events = createMarketSimulator({
      seed: 5,
      symbols: ['MSFT'],
      startTime: START,
      barIntervalMs: 5000,
    }).step(START + 2 * MIN);
    const bars = events.flatMap((e) => (e.kind === 'bar' ? [e.record] : []));
    expect(bars.map((b) => b.start_time)).toEqual(Array.from({ length: 24 }, (_, i) => START + i * 5000));
    for (const b of bars) {
      const trades = events.flatMap((e) =>
        e.kind === 'trade' && e.record.event_time >= b.start_time && e.record.event_time < b.start_time + 5000
          ? [e.record]
          : [],
      );
      expect(b.trade_count).toBe(trades.length);
      if (trades.length === 0) continue;
      const volume = trades.reduce((s, t) => s + t.size, 0);
      expect(b).toMatchObject({
        open: trades[0]!.price,
        close: trades.at(-1)!.price,
        volume,
        interval_ms: 5000,
        is_update: false,
        source: 'sim',
      });
      expect(b.high).toBe(Math.max(...trades.map((t) => t.price)));
      expect(b.low).toBe(Math.min(...trades.map((t) => t.price)));
      expect(b.vwap).toBeCloseTo(trades.reduce((s, t) => s + t.price * t.size, 0) / volume, 3);
    }
    let last: { bid: number; ask: number } | undefined;
    for (const e of events) {
      if (e.kind === 'quote') {
        expect(e.record.bid_price).toBeLessThan(e.record.ask_price);
        last = { bid: e.record.bid_price, ask: e.record.ask_price };
      } else if (e.kind === 'trade' && last) {
        expect([last.bid, last.ask]).toContain(e.record.price);
      }
    }
  });

  it('is busier at the open of its session than at midday (U shape)', () => {
    const trades = (from: number): number =>
      createMarketSimulator({ seed: 9, symbols: ['SPY'], startTime: from })
        .step(from + 15 * MIN)
        .filter((e) => e.kind === 'trade').length;
    expect(trades(START)).toBeGreaterThan(2 * trades(START + 3 * 60 * MIN));
  });

  it('gives any other symbol a stable made-up profile', () => {
    const a = createMarketSimulator({ seed: 1, symbols: ['ZZZZ'], startTime: START }).step(START + MIN);
    expect(a.length).toBeGreaterThan(0);
    expect(createMarketSimulator({ seed: 1, symbols: ['ZZZZ'], startTime: START }).step(START + MIN)).toEqual(
      a,
    );
  });
});
