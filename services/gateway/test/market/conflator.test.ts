import type { Trade } from '@tickstream/contracts';
import type { ConflatedUpdate } from '../../src/market/conflator';
import { Conflator } from '../../src/market/conflator';
import { quote } from '../support/records';

const INTERVAL = 250;

const q = (symbol: string, bid: number): ConflatedUpdate => ({ event: 'quote', record: quote(symbol, bid) });
const t = (symbol: string, price: number): ConflatedUpdate => ({
  event: 'trade',
  record: { ...quote(symbol, price), price, size: 1, exchange: null, trade_id: null } as unknown as Trade,
});
const bidOf = (u: ConflatedUpdate) => (u.event === 'quote' ? u.record.bid_price : u.record.price);

/** Ends the current turn of the (fake) event loop: leading updates go out. */
const turn = () => jest.advanceTimersByTime(0);

/** A conflator on fake time, recording each batch it sends with the (fake) time it sent it. */
function setup() {
  const sent: { at: number; updates: ConflatedUpdate[] }[] = [];
  const held: number[] = [];
  let superseded = 0;
  const conflator = new Conflator({
    intervalMs: INTERVAL,
    emit: (updates) => sent.push({ at: Date.now(), updates }),
    superseded: (n) => (superseded += n),
    held: (ms) => held.push(ms),
  });
  const start = Date.now();
  return {
    conflator,
    sent,
    held,
    superseded: () => superseded,
    /** Sent batches as [ms since start, "event:symbol@bid" ...]. */
    log: () =>
      sent.map((b) => [b.at - start, ...b.updates.map((u) => `${u.event}:${u.record.symbol}@${bidOf(u)}`)]),
  };
}

describe('Conflator (leading edge, per symbol and kind)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the first update after a quiet interval at the end of the turn, without waiting for a timer', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    expect(c.log()).toEqual([]);
    turn();
    expect(c.log()).toEqual([[0, 'quote:AAPL@1']]);
    expect(jest.getTimerCount()).toBe(1);
    // Nothing else came: the interval closes without sending and the timer is not re-armed.
    jest.advanceTimersByTime(INTERVAL);
    expect(c.log()).toEqual([[0, 'quote:AAPL@1']]);
    expect(jest.getTimerCount()).toBe(0);
    // Quiet for an interval: the next update leads again.
    jest.advanceTimersByTime(1000);
    c.conflator.offer(q('AAPL', 2));
    turn();
    expect(c.log()).toEqual([
      [0, 'quote:AAPL@1'],
      [1250, 'quote:AAPL@2'],
    ]);
  });

  it('sends the latest of the updates offered in one turn as the leading one', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    c.conflator.offer(q('AAPL', 2));
    turn();
    c.conflator.offer(q('AAPL', 3));
    jest.advanceTimersByTime(INTERVAL);
    expect(c.log()).toEqual([
      [0, 'quote:AAPL@2'],
      [250, 'quote:AAPL@3'],
    ]);
    expect(c.superseded()).toBe(1);
  });

  it('coalesces the later updates of an interval into one trailing update at its end, latest wins', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    turn();
    jest.advanceTimersByTime(10);
    c.conflator.offer(q('AAPL', 2));
    jest.advanceTimersByTime(100);
    c.conflator.offer(q('AAPL', 3));
    c.conflator.offer(q('AAPL', 4));
    jest.advanceTimersByTime(INTERVAL - 111);
    expect(c.log()).toEqual([[0, 'quote:AAPL@1']]);
    jest.advanceTimersByTime(1);
    expect(c.log()).toEqual([
      [0, 'quote:AAPL@1'],
      [250, 'quote:AAPL@4'],
    ]);
    expect(c.superseded()).toBe(2);
    // The leading one waited for the end of its turn only; the trailing one from its offer at 110.
    expect(c.held).toEqual([0, INTERVAL - 110]);
  });

  it('starts the next interval at the trailing update, so an update just after it waits for that interval', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    turn();
    c.conflator.offer(q('AAPL', 2));
    jest.advanceTimersByTime(INTERVAL + 1);
    c.conflator.offer(q('AAPL', 3));
    jest.advanceTimersByTime(INTERVAL - 2);
    expect(c.log()).toEqual([
      [0, 'quote:AAPL@1'],
      [250, 'quote:AAPL@2'],
    ]);
    jest.advanceTimersByTime(1);
    expect(c.log()).toEqual([
      [0, 'quote:AAPL@1'],
      [250, 'quote:AAPL@2'],
      [500, 'quote:AAPL@3'],
    ]);
  });

  it('keeps symbols and kinds apart: each leads on its own, and updates sent together go out as one batch', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    c.conflator.offer(t('AAPL', 10));
    c.conflator.offer(q('MSFT', 20));
    turn();
    expect(c.log()).toEqual([[0, 'quote:AAPL@1', 'trade:AAPL@10', 'quote:MSFT@20']]);
    c.conflator.offer(q('AAPL', 2));
    c.conflator.offer(t('AAPL', 11));
    c.conflator.offer(q('MSFT', 21));
    jest.advanceTimersByTime(50);
    c.conflator.offer(q('NVDA', 30));
    turn();
    c.conflator.offer(q('NVDA', 31));
    jest.advanceTimersByTime(INTERVAL);
    expect(c.log().slice(1)).toEqual([
      [50, 'quote:NVDA@30'],
      [250, 'quote:AAPL@2', 'trade:AAPL@11', 'quote:MSFT@21'],
      [300, 'quote:NVDA@31'],
    ]);
    expect(c.superseded()).toBe(0);
  });

  it('on any stream: at most one update per symbol and kind per interval, the latest, and nothing lost but superseded ones', () => {
    const c = setup();
    const symbols = ['AAPL', 'MSFT', 'NVDA'];
    const offered: { at: number; u: ConflatedUpdate }[] = [];
    // A bursty stream with quiet gaps: deterministic pseudo-random steps.
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const start = Date.now();
    for (let i = 0; i < 2000; i++) {
      jest.advanceTimersByTime(rand() < 0.02 ? Math.floor(rand() * 1000) : Math.floor(rand() * 20));
      const symbol = symbols[Math.floor(rand() * symbols.length)]!;
      const u = rand() < 0.7 ? q(symbol, i) : t(symbol, i);
      offered.push({ at: Date.now() - start, u });
      c.conflator.offer(u);
    }
    jest.advanceTimersByTime(INTERVAL);
    expect(jest.getTimerCount()).toBe(1); // the last intervals closing
    jest.advanceTimersByTime(INTERVAL);
    expect(jest.getTimerCount()).toBe(0);

    const sends = c.sent.flatMap((b) => b.updates.map((u) => ({ at: b.at - start, u })));
    expect(sends.length + c.superseded()).toBe(offered.length);
    for (const event of ['quote', 'trade'] as const) {
      for (const symbol of symbols) {
        const mine = (x: { u: ConflatedUpdate }) => x.u.event === event && x.u.record.symbol === symbol;
        const out = sends.filter(mine);
        const inp = offered.filter(mine);
        for (let i = 1; i < out.length; i++)
          expect(out[i]!.at - out[i - 1]!.at).toBeGreaterThanOrEqual(INTERVAL);
        for (const s of out) {
          // What went out is the latest offered before that moment (offers made at the same
          // fake time come after the timers of that time)...
          const i = inp.findIndex((o) => o.u === s.u);
          expect(inp.slice(i + 1).every((o) => o.at >= s.at)).toBe(true);
        }
        // ...and one offered a whole interval after the previous send of its kind went out in
        // the same turn (it, or a newer one of that turn).
        for (const o of inp) {
          const last = out.filter((s) => s.at <= o.at && s.u !== o.u).at(-1);
          if (!last || o.at - last.at >= INTERVAL) expect(out.some((s) => s.at === o.at)).toBe(true);
        }
        expect(out.at(-1)?.u).toBe(inp.at(-1)?.u);
      }
    }
  });

  it('stop drops what is pending and its timer', () => {
    const c = setup();
    c.conflator.offer(q('AAPL', 1));
    turn();
    c.conflator.offer(q('AAPL', 2));
    c.conflator.offer(q('MSFT', 1));
    c.conflator.stop();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(INTERVAL * 4);
    expect(c.log()).toEqual([[0, 'quote:AAPL@1']]);
  });
});
