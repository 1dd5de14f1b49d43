import type { Bar, Prediction, Quote, SymbolSnapshot, Trade } from '@tickstream/contracts';
import { newYorkDay } from '@tickstream/indicators';
import type { StreamSocket } from '../stream/market-stream';
import type { BarChange } from './bars';
import { MAX_BARS, mergeBar } from './bars';
import { Observable } from './observable';

export interface SymbolState {
  symbol: string;
  bid: number | null;
  ask: number | null;
  bidSize: number | null;
  askSize: number | null;
  last: number | null;
  /** Previous session's close when the history reaches back that far, else the first price seen. */
  reference: number | null;
  /** Direction of the last price change, and a counter that restarts the flash animation. */
  direction: 'up' | 'down' | null;
  tick: number;
  updatedAt: number | null;
  prediction: Prediction | null;
}

type BarListener = (bars: readonly Bar[], change: BarChange) => void;

function emptyState(symbol: string): SymbolState {
  return {
    symbol,
    bid: null,
    ask: null,
    bidSize: null,
    askSize: null,
    last: null,
    reference: null,
    direction: null,
    tick: 0,
    updatedAt: null,
    prediction: null,
  };
}

function previousClose(bars: readonly Bar[]): number | null {
  const last = bars[bars.length - 1];
  if (!last) return null;
  const today = newYorkDay(last.start_time);
  for (let i = bars.length - 1; i >= 0; i--) {
    const b = bars[i]!;
    if (newYorkDay(b.start_time) < today) return b.close;
  }
  return bars[0]!.open;
}

/**
 * Everything the stream says about each symbol. Quotes and predictions re-render the table once
 * per animation frame at most; bars go straight to the chart's listener, which draws them
 * without a re-render.
 */
export class MarketStore extends Observable<{ revision: number }> {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly bars = new Map<string, Bar[]>();
  private readonly barListeners = new Map<string, Set<BarListener>>();
  private readonly traded = new Set<string>();
  private frame = 0;

  constructor() {
    super({ revision: 0 });
  }

  attach(socket: StreamSocket): void {
    socket.on('snapshot', (s) => this.onSnapshot(s));
    socket.on('quote', (q) => this.onQuote(q));
    socket.on('trade', (t) => this.onTrade(t));
    socket.on('bar', (b) => this.onBar(b));
    socket.on('prediction', (p) => this.onPrediction(p));
  }

  get(symbol: string): SymbolState {
    return this.symbols.get(symbol) ?? emptyState(symbol);
  }

  barsOf(symbol: string): readonly Bar[] {
    return this.bars.get(symbol) ?? [];
  }

  onBars(symbol: string, fn: BarListener): () => void {
    const set = this.barListeners.get(symbol) ?? new Set<BarListener>();
    set.add(fn);
    this.barListeners.set(symbol, set);
    return () => set.delete(fn);
  }

  private state(symbol: string): SymbolState {
    let s = this.symbols.get(symbol);
    if (!s) {
      s = emptyState(symbol);
      this.symbols.set(symbol, s);
    }
    return s;
  }

  private onSnapshot(snap: SymbolSnapshot): void {
    const s = this.state(snap.symbol);
    const bars = snap.bars.slice(-MAX_BARS);
    this.bars.set(snap.symbol, bars);
    s.reference = previousClose(bars) ?? s.reference;
    if (snap.quote) this.applyQuote(s, snap.quote);
    if (snap.trade) this.traded.add(snap.symbol);
    if (snap.trade) this.applyPrice(s, snap.trade.price, snap.trade.event_time);
    else if (s.last === null && bars.length > 0)
      this.applyPrice(s, bars[bars.length - 1]!.close, bars[bars.length - 1]!.start_time);
    if (snap.prediction) s.prediction = snap.prediction;
    this.emitBars(snap.symbol, 'reset');
    this.changed();
  }

  private onQuote(q: Quote): void {
    const s = this.state(q.symbol);
    this.applyQuote(s, q);
    // Until a symbol prints a trade, the mid stands in for "last" so the row still moves.
    if (!this.traded.has(q.symbol)) this.applyPrice(s, (q.bid_price + q.ask_price) / 2, q.event_time);
    this.changed();
  }

  private onTrade(t: Trade): void {
    this.traded.add(t.symbol);
    this.applyPrice(this.state(t.symbol), t.price, t.event_time);
    this.changed();
  }

  private onBar(b: Bar): void {
    const bars = this.bars.get(b.symbol) ?? [];
    this.bars.set(b.symbol, bars);
    const change = mergeBar(bars, b);
    if (!change) return;
    if (bars.length > MAX_BARS) bars.splice(0, bars.length - MAX_BARS);
    const s = this.state(b.symbol);
    if (s.reference === null) s.reference = b.open;
    this.applyPrice(s, b.close, b.start_time + b.interval_ms);
    this.emitBars(b.symbol, bars.length > MAX_BARS ? 'reset' : change);
    this.changed();
  }

  private onPrediction(p: Prediction): void {
    const s = this.state(p.symbol);
    if (!s.prediction || p.bar_time >= s.prediction.bar_time) s.prediction = p;
    this.changed();
  }

  private applyQuote(s: SymbolState, q: Quote): void {
    s.bid = q.bid_price;
    s.ask = q.ask_price;
    s.bidSize = q.bid_size;
    s.askSize = q.ask_size;
    s.updatedAt = q.event_time;
  }

  private applyPrice(s: SymbolState, price: number, at: number): void {
    if (s.last !== null && price !== s.last) {
      s.direction = price > s.last ? 'up' : 'down';
      s.tick += 1;
    }
    s.last = price;
    s.reference ??= price;
    s.updatedAt = Math.max(s.updatedAt ?? 0, at);
  }

  private emitBars(symbol: string, change: BarChange): void {
    const bars = this.bars.get(symbol) ?? [];
    for (const fn of this.barListeners.get(symbol) ?? []) fn(bars, change);
  }

  private changed(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.set({ revision: this.current.revision + 1 });
    });
  }
}
