import type { Bar, MarketEvent, Unstamped } from '../events';
import { eventTime } from '../events';
import type { Rng } from './prng';
import { createRng, hash32 } from './prng';
import type { SymbolProfile } from './profiles';
import { profileFor } from './profiles';

export interface SimulatorOptions {
  seed: number;
  /** Symbols whose streams start at `startTime`. */
  symbols?: readonly string[];
  startTime?: number;
  /** 60000 like Alpaca, or 5000 for the demo. */
  barIntervalMs?: number;
  /** Multiplies every volatility: at real volatility 5-second demo bars look flat. */
  volScale?: number;
  profiles?: Readonly<Record<string, Partial<SymbolProfile>>>;
}

export interface StepOptions {
  /** Generate trades and quotes but return only bars (history warm-up: much less garbage). */
  barsOnly?: boolean;
}

/**
 * A pure, seeded market: no timers, no clock. `step(t)` advances every symbol to simulated time
 * `t` and returns what happened in between, ordered by market time.
 */
export interface MarketSimulator {
  /** Starts a symbol at `startTime`; its stream depends only on seed, symbol and start time. */
  addSymbol(symbol: string, startTime: number): void;
  removeSymbol(symbol: string): void;
  symbols(): string[];
  step(until: number, opts?: StepOptions): MarketEvent[];
  /**
   * Simulated time of the next event of any symbol (a trade, a quote or a bar closing): a live
   * source sleeps until then rather than polling. Infinity with no symbols.
   */
  nextEventTime(): number;
}

interface Regime {
  volMult: number;
  /** Drift as a fraction of price per hour, before scaling by the symbol's volatility. */
  driftPerHour: number;
  meanMinutes: number;
  /** Cumulative transition probabilities to regimes 0..3. */
  next: readonly number[];
}

// Markov switching: calm, normal, rally, sell-off. Sell-offs are short and violent.
const REGIMES: readonly Regime[] = [
  { volMult: 0.6, driftPerHour: 0, meanMinutes: 40, next: [0, 0.6, 0.8, 1] },
  { volMult: 1, driftPerHour: 0, meanMinutes: 60, next: [0.4, 0.4, 0.7, 1] },
  { volMult: 1.1, driftPerHour: 0.02, meanMinutes: 20, next: [0.2, 0.8, 0.8, 1] },
  { volMult: 1.8, driftPerHour: -0.03, meanMinutes: 15, next: [0.3, 0.8, 1, 1] },
];

const TRADING_YEAR_MS = 252 * 6.5 * 3600_000;
const HOUR_MS = 3600_000;
// The simulator trades around the clock; its U-shaped activity repeats every 6.5 h of the UTC
// day from 13:30 (the NYSE open in winter), so a demo at any hour shows an open, a lull and a
// close. Midnight cuts one session short: 24 h is not a multiple of 6.5 h.
const SESSION_MS = 6.5 * HOUR_MS;
const SESSION_ANCHOR_MS = 13.5 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;
const TRADE_PROBABILITY = 0.4;

interface OpenBar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  notional: number;
  count: number;
}

interface SymbolStream {
  symbol: string;
  rng: Rng;
  profile: SymbolProfile;
  t: number;
  logMid: number;
  regime: number;
  regimeUntil: number;
  bid: number;
  ask: number;
  tradeSeq: number;
  bar: OpenBar;
  nextT: number;
}

function activity(t: number): number {
  const timeOfDay = ((t % DAY_MS) + DAY_MS) % DAY_MS;
  const phase = ((((timeOfDay - SESSION_ANCHOR_MS) % SESSION_MS) + SESSION_MS) % SESSION_MS) / SESSION_MS;
  return 1 + 3 * (2 * phase - 1) ** 2;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

export function createMarketSimulator(opts: SimulatorOptions): MarketSimulator {
  const interval = opts.barIntervalMs ?? 60_000;
  const volScale = opts.volScale ?? 1;
  const streams = new Map<string, SymbolStream>();

  function newBar(start: number, price: number): OpenBar {
    return { start, open: price, high: price, low: price, close: price, volume: 0, notional: 0, count: 0 };
  }

  function closeBar(s: SymbolStream): Unstamped<Bar> {
    const b = s.bar;
    const bar: Unstamped<Bar> = {
      symbol: s.symbol,
      start_time: b.start,
      interval_ms: interval,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      trade_count: b.count,
      // A quiet interval still yields a (flat) bar so downstream windows see a regular series.
      vwap: b.volume > 0 ? Math.round((b.notional / b.volume) * 10_000) / 10_000 : null,
      is_update: false,
      source: 'sim',
    };
    s.bar = newBar(b.start + interval, b.close);
    return bar;
  }

  function closeBarsUntil(s: SymbolStream, t: number, out: MarketEvent[]): void {
    while (t >= s.bar.start + interval) out.push({ kind: 'bar', record: closeBar(s) });
  }

  function switchRegime(s: SymbolStream): void {
    const row = REGIMES[s.regime]?.next ?? [];
    const u = s.rng.next();
    const next = row.findIndex((p) => u < p);
    s.regime = next < 0 ? 1 : next;
    s.regimeUntil = s.t + s.rng.exponential((REGIMES[s.regime]?.meanMinutes ?? 60) * 60_000);
  }

  function nextGap(s: SymbolStream): number {
    return Math.max(1, Math.round(s.rng.exponential(1000 / (s.profile.eventsPerSecond * activity(s.t)))));
  }

  // The next event time is drawn ahead and kept, so the stream is the same however finely
  // step() is called: a live source stepping to each event and one big history step agree.
  function advance(s: SymbolStream, until: number, out: MarketEvent[], barsOnly: boolean): void {
    while (s.nextT <= until) {
      const t = s.nextT;
      closeBarsUntil(s, t, out);
      const dt = t - s.t;
      s.t = t;
      if (t >= s.regimeUntil) switchRegime(s);
      const regime = REGIMES[s.regime] ?? REGIMES[1]!;
      const sigma = (s.profile.annualVol * regime.volMult * volScale) / Math.sqrt(TRADING_YEAR_MS);
      const drift = (regime.driftPerHour * (s.profile.annualVol / 0.3) * volScale) / HOUR_MS;
      s.logMid += (drift - 0.5 * sigma * sigma) * dt + sigma * Math.sqrt(dt) * s.rng.normal();
      if (s.rng.next() < TRADE_PROBABILITY) trade(s, out, barsOnly);
      else quote(s, regime, out, barsOnly);
      s.nextT = t + nextGap(s);
    }
    closeBarsUntil(s, until, out);
  }

  function trade(s: SymbolStream, out: MarketEvent[], barsOnly: boolean): void {
    const { rng } = s;
    // Trades print at the last published quote: buyers lift the ask, sellers hit the bid.
    const price = rng.next() < 0.5 ? s.ask : s.bid;
    const size =
      rng.next() < 0.7 ? 100 * (1 + Math.floor(rng.exponential(2))) : 1 + Math.floor(rng.next() * 99);
    const b = s.bar;
    if (b.count === 0) b.open = b.high = b.low = price;
    b.high = Math.max(b.high, price);
    b.low = Math.min(b.low, price);
    b.close = price;
    b.volume += size;
    b.notional += price * size;
    b.count += 1;
    s.tradeSeq += 1;
    if (barsOnly) return;
    out.push({
      kind: 'trade',
      record: {
        symbol: s.symbol,
        event_time: s.t,
        price,
        size,
        trade_id: String(s.tradeSeq),
        exchange: null,
        conditions: [],
        tape: null,
        source: 'sim',
      },
    });
  }

  function quote(s: SymbolStream, regime: Regime, out: MarketEvent[], barsOnly: boolean): void {
    const mid = Math.exp(s.logMid);
    const half = Math.max(0.005, (mid * s.profile.spreadBps * regime.volMult) / 20_000);
    s.bid = cents(mid - half);
    s.ask = Math.max(cents(mid + half), cents(s.bid + 0.01));
    const bidSize = 100 * (1 + Math.floor(s.rng.exponential(3)));
    const askSize = 100 * (1 + Math.floor(s.rng.exponential(3)));
    if (barsOnly) return;
    out.push({
      kind: 'quote',
      record: {
        symbol: s.symbol,
        event_time: s.t,
        bid_price: s.bid,
        bid_size: bidSize,
        ask_price: s.ask,
        ask_size: askSize,
        bid_exchange: null,
        ask_exchange: null,
        conditions: [],
        tape: null,
        source: 'sim',
      },
    });
  }

  const sim: MarketSimulator = {
    addSymbol(symbol, startTime) {
      if (streams.has(symbol)) return;
      const profile = { ...profileFor(symbol), ...opts.profiles?.[symbol] };
      const rng = createRng(hash32(`${opts.seed}:${symbol}:${startTime}`));
      const half = Math.max(0.005, (profile.startPrice * profile.spreadBps) / 20_000);
      const s: SymbolStream = {
        symbol,
        rng,
        profile,
        t: startTime,
        logMid: Math.log(profile.startPrice),
        regime: 1,
        regimeUntil: startTime + rng.exponential(60 * 60_000),
        bid: cents(profile.startPrice - half),
        ask: cents(profile.startPrice + half),
        tradeSeq: 0,
        bar: newBar(Math.floor(startTime / interval) * interval, profile.startPrice),
        nextT: startTime,
      };
      s.nextT = startTime + nextGap(s);
      streams.set(symbol, s);
    },
    removeSymbol(symbol) {
      streams.delete(symbol);
    },
    symbols: () => [...streams.keys()],
    nextEventTime() {
      let next = Infinity;
      for (const s of streams.values()) next = Math.min(next, s.nextT, s.bar.start + interval);
      return next;
    },
    step(until, stepOpts) {
      const out: MarketEvent[] = [];
      for (const s of streams.values()) advance(s, until, out, stepOpts?.barsOnly ?? false);
      // Stable sort: per-symbol order (bar before the trade that opened the next one) survives.
      return out.sort((a, b) => eventTime(a) - eventTime(b));
    },
  };
  for (const symbol of opts.symbols ?? []) sim.addSymbol(symbol, opts.startTime ?? 0);
  return sim;
}
