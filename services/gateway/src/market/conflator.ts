import type { Quote, Trade } from '@tickstream/contracts';

/**
 * Latest-wins buffer for the high-rate market events: between two flushes only the newest quote
 * and trade per symbol is kept, so each client gets at most one of each per symbol per interval
 * however fast the feed runs. `conflated` counts what was superseded.
 */
export class Conflator {
  private quotes = new Map<string, Quote>();
  private trades = new Map<string, Trade>();
  conflated = 0;

  quote(q: Quote): void {
    if (this.quotes.has(q.symbol)) this.conflated++;
    this.quotes.set(q.symbol, q);
  }

  trade(t: Trade): void {
    if (this.trades.has(t.symbol)) this.conflated++;
    this.trades.set(t.symbol, t);
  }

  /** Hands over everything pending and starts a new interval. */
  drain(): { quotes: Quote[]; trades: Trade[] } {
    const out = { quotes: [...this.quotes.values()], trades: [...this.trades.values()] };
    this.quotes = new Map();
    this.trades = new Map();
    return out;
  }
}
