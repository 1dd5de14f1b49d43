import type { Quote } from '@tickstream/contracts';
import type { Knex } from 'knex';

/**
 * The latest quote of every symbol this instance has seen, for pricing and risk. Changed symbols
 * are written to quote_marks at most once per flush so the gateway can value positions at the
 * same marks the risk checks use, without a write per quote.
 */
export class QuoteBook {
  readonly latest = new Map<string, Quote>();
  private readonly dirty = new Set<string>();

  set(quote: Quote): void {
    const prev = this.latest.get(quote.symbol);
    if (prev && prev.event_time > quote.event_time) return;
    this.latest.set(quote.symbol, quote);
    this.dirty.add(quote.symbol);
  }

  get(symbol: string): Quote | undefined {
    return this.latest.get(symbol);
  }

  async flushMarks(db: Knex): Promise<void> {
    if (this.dirty.size === 0) return;
    const rows = [...this.dirty].flatMap((s) => {
      const q = this.latest.get(s);
      return q
        ? [{ symbol: s, bid_price: q.bid_price, ask_price: q.ask_price, quote_time: new Date(q.event_time) }]
        : [];
    });
    this.dirty.clear();
    await db('quote_marks').insert(rows).onConflict('symbol').merge();
  }
}
