import type { Quote, Side } from '@tickstream/contracts';
import { OrderError, SnapshotError } from './errors';
import { roundQty } from './money';
import type { ValidOrder } from './order';
import { isUsableQuote, touchPrice, touchSize } from './order';
import { sessionCloseAfter } from './session';

/**
 * The matching rules of the simulated broker, one order against one quote. Liquidity model:
 * an order trades at the touch (ask for buys, bid for sells) for at most the size displayed
 * there; there is no depth behind the touch, no queue position and no market impact beyond the
 * quote being matched. Each quote is a fresh snapshot of displayed size, so a large order fills
 * in slices across quotes. This is what lets IOC and FOK differ.
 */

/** A stop order triggers when the market trades through its stop: buy when ask >= stop, sell when bid <= stop. */
function stopTriggered(order: ValidOrder, quote: Quote): boolean {
  if (order.stopPrice === null) return false;
  return order.side === 'BUY' ? quote.ask_price >= order.stopPrice : quote.bid_price <= order.stopPrice;
}

/**
 * The price the order trades at against `quote`, or null if it cannot trade. `triggered` says
 * whether a stop has already fired on an earlier quote: a fired STOP is a market order, a fired
 * STOP_LIMIT a limit order. A buy limit trades when ask <= limit, at min(limit, ask), which is
 * the ask: the price improvement goes to the trader. Sells mirror it.
 */
function executionPrice(order: ValidOrder, triggered: boolean, quote: Quote): number | null {
  if (!isUsableQuote(quote)) return null;
  const isStop = order.type === 'STOP' || order.type === 'STOP_LIMIT';
  if (isStop && !triggered && !stopTriggered(order, quote)) return null;
  const touch = touchPrice(quote, order.side);
  if (order.limitPrice === null) return touch;
  const crosses = order.side === 'BUY' ? touch <= order.limitPrice : touch >= order.limitPrice;
  return crosses ? touch : null;
}

export interface SimFill {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly price: number;
  readonly time: number;
  /** Quantity still open after this fill; 0 means the order is filled. */
  readonly remainingQty: number;
}

/** An order the book gave up on: IOC/FOK leftovers at `add`. */
export interface SimCancel {
  readonly orderId: string;
  readonly canceledQty: number;
  readonly reasonCode: 'IOC_UNFILLED' | 'FOK_UNFILLED';
  readonly reason: string;
}

export interface SimAddResult {
  readonly fills: readonly SimFill[];
  readonly canceled: SimCancel | null;
}

/** A resting order as the book keeps it; also the unit of a snapshot. */
export interface RestingOrder {
  readonly order: ValidOrder;
  /** Arrival number: resting orders meet each quote's displayed size first-come first-served. */
  readonly arrival: number;
  readonly remainingQty: number;
  /** A stop that fired stays fired even if the market moves back. */
  readonly triggered: boolean;
  /** DAY orders: the session close they expire at; null for GTC. */
  readonly expiresAt: number | null;
}

export interface SimBookSnapshot {
  readonly version: 1;
  readonly nextArrival: number;
  readonly orders: readonly RestingOrder[];
  readonly lastQuotes: readonly Quote[];
}

/**
 * The simulated broker's working orders across all symbols (fill rules above).
 * Deterministic: the same orders and quotes in the same sequence give the same fills, and a
 * snapshot restores the book exactly, last quotes included, so a restarted service continues as
 * if it never stopped. Fills follow the quotes and ignore the session clock: if the feed sends
 * quotes out of hours, orders fill out of hours (DAY orders still expire at the close).
 */
export class SimOrderBook {
  private readonly bySymbol = new Map<string, RestingOrder[]>();
  private readonly lastQuotes = new Map<string, Quote>();
  private nextArrival = 1;

  /**
   * Takes a newly accepted order and matches it at once against `quote`, or else the last quote
   * the book saw for the symbol. IOC and FOK are settled here and never rest. `takenAt` is when the
   * service took the order (its ACCEPTED): an immediate fill happens then, not at the issue time,
   * which is earlier by the command's transit and would put FILLED before ACCEPTED.
   */
  add(order: ValidOrder, quote?: Quote, takenAt = order.issuedAt): SimAddResult {
    if (this.find(order.orderId))
      throw new OrderError('DUPLICATE_ORDER', `order ${order.orderId} is already in the book`);
    if (quote && quote.symbol !== order.symbol) {
      throw new OrderError(
        'QUOTE_SYMBOL_MISMATCH',
        `order ${order.orderId} is for ${order.symbol}, quote for ${quote.symbol}`,
      );
    }
    const q = quote ?? this.lastQuotes.get(order.symbol);
    if (quote) this.lastQuotes.set(quote.symbol, quote);
    let resting: RestingOrder = {
      order,
      arrival: this.nextArrival++,
      remainingQty: order.qty,
      triggered: false,
      expiresAt: order.timeInForce === 'DAY' ? sessionCloseAfter(order.issuedAt) : null,
    };
    const time = Math.max(takenAt, q?.event_time ?? 0);
    const price = q ? executionPrice(order, false, q) : null;
    const available = q && price !== null ? touchSize(q, order.side) : 0;
    if (q && stopTriggered(order, q)) resting = { ...resting, triggered: true };

    const tif = order.timeInForce;
    const fillQty = price === null ? 0 : Math.min(order.qty, available);
    if (tif === 'FOK' && fillQty < order.qty) {
      return { fills: [], canceled: this.cancelRest(order, order.qty, 'FOK_UNFILLED', available) };
    }
    const fills = fillQty > 0 && price !== null ? [this.fill(resting, fillQty, price, time)] : [];
    const remaining = roundQty(order.qty - fillQty);
    if (tif === 'IOC') {
      return {
        fills,
        canceled: remaining > 0 ? this.cancelRest(order, remaining, 'IOC_UNFILLED', available) : null,
      };
    }
    if (remaining > 0) this.rest({ ...resting, remainingQty: remaining });
    return { fills, canceled: null };
  }

  /**
   * Matches the symbol's resting orders, oldest first, against a new quote; each fill uses up
   * displayed size so two orders never both take the same shares. Orders past their expiry are
   * skipped (they wait for `expire`), so a late quote cannot fill an expired DAY order.
   */
  onQuote(quote: Quote): SimFill[] {
    this.lastQuotes.set(quote.symbol, quote);
    const orders = this.bySymbol.get(quote.symbol);
    if (!orders) return [];
    const left: Record<Side, number> = { BUY: quote.ask_size, SELL: quote.bid_size };
    const fills: SimFill[] = [];
    const kept: RestingOrder[] = [];
    for (const resting of orders) {
      const live = resting.expiresAt === null || resting.expiresAt > quote.event_time;
      const { order } = resting;
      const triggered = resting.triggered || (live && stopTriggered(order, quote));
      const price = live ? executionPrice(order, triggered, quote) : null;
      const qty = price === null ? 0 : Math.min(resting.remainingQty, left[order.side]);
      if (price === null || qty <= 0) {
        kept.push({ ...resting, triggered });
        continue;
      }
      left[order.side] -= qty;
      const remainingQty = roundQty(resting.remainingQty - qty);
      const updated = { ...resting, triggered, remainingQty };
      fills.push(this.fill(resting, qty, price, quote.event_time));
      if (remainingQty > 0) kept.push(updated);
    }
    this.store(quote.symbol, kept);
    return fills;
  }

  /** Removes a working order; null when the book does not hold it (already filled, expired or unknown). */
  cancel(orderId: string): RestingOrder | null {
    const found = this.find(orderId);
    if (!found) return null;
    const orders = this.bySymbol.get(found.order.symbol) ?? [];
    this.store(
      found.order.symbol,
      orders.filter((o) => o.order.orderId !== orderId),
    );
    return found;
  }

  /** Removes and returns the DAY orders whose session close is at or before `now`. */
  expire(now: number): RestingOrder[] {
    const expired: RestingOrder[] = [];
    for (const [symbol, orders] of [...this.bySymbol]) {
      const due = orders.filter((o) => o.expiresAt !== null && o.expiresAt <= now);
      if (due.length === 0) continue;
      expired.push(...due);
      this.store(
        symbol,
        orders.filter((o) => !due.includes(o)),
      );
    }
    return expired.sort((a, b) => a.arrival - b.arrival);
  }

  /** Working orders, oldest first. */
  openOrders(): RestingOrder[] {
    return [...this.bySymbol.values()].flat().sort((a, b) => a.arrival - b.arrival);
  }

  find(orderId: string): RestingOrder | null {
    for (const orders of this.bySymbol.values()) {
      const found = orders.find((o) => o.order.orderId === orderId);
      if (found) return found;
    }
    return null;
  }

  /** Plain, JSON-safe state of the book; `SimOrderBook.restore` rebuilds it. */
  snapshot(): SimBookSnapshot {
    return {
      version: 1,
      nextArrival: this.nextArrival,
      orders: this.openOrders(),
      lastQuotes: [...this.lastQuotes.values()],
    };
  }

  static restore(snapshot: SimBookSnapshot): SimOrderBook {
    if (snapshot.version !== 1 || !Array.isArray(snapshot.orders) || !Array.isArray(snapshot.lastQuotes)) {
      throw new SnapshotError(`unsupported sim order book snapshot (version ${String(snapshot.version)})`);
    }
    const book = new SimOrderBook();
    book.nextArrival = snapshot.nextArrival;
    for (const quote of snapshot.lastQuotes) book.lastQuotes.set(quote.symbol, quote);
    for (const resting of snapshot.orders) book.rest(resting);
    return book;
  }

  private fill(resting: RestingOrder, qty: number, price: number, time: number): SimFill {
    const { orderId, symbol, side } = resting.order;
    return { orderId, symbol, side, qty, price, time, remainingQty: roundQty(resting.remainingQty - qty) };
  }

  private cancelRest(
    order: ValidOrder,
    qty: number,
    reasonCode: SimCancel['reasonCode'],
    available: number,
  ): SimCancel {
    const what = reasonCode === 'FOK_UNFILLED' ? 'fill-or-kill' : 'immediate-or-cancel';
    return {
      orderId: order.orderId,
      canceledQty: qty,
      reasonCode,
      reason: `${what} order could not fill ${qty} shares at once: ${available} shares were offered at an acceptable price`,
    };
  }

  private rest(resting: RestingOrder): void {
    const orders = this.bySymbol.get(resting.order.symbol) ?? [];
    orders.push(resting);
    orders.sort((a, b) => a.arrival - b.arrival);
    this.bySymbol.set(resting.order.symbol, orders);
  }

  private store(symbol: string, orders: RestingOrder[]): void {
    if (orders.length === 0) this.bySymbol.delete(symbol);
    else this.bySymbol.set(symbol, orders);
  }
}
