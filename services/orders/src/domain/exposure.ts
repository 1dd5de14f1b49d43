import type { Quote } from '@tickstream/contracts';
import type { Money } from './money';
import { ZERO, dec, roundQty } from './money';
import type { OpenOrder, ValidOrder } from './order';
import { isUsableQuote, midPrice, touchPrice } from './order';
import type { Position } from './position';

/**
 * The price an order's notional is measured at, or null when it cannot be priced. A market order
 * trades at the touch (ask for a buy, bid for a sell). A limit price bounds the fill, so LIMIT
 * and STOP_LIMIT use it. A STOP uses its stop price unless the quote would trigger it at once,
 * in which case it is a market order: otherwise a buy stop far below the market would pass the
 * notional limit at a price it will never trade at.
 */
export function referencePrice(order: ValidOrder, quote: Quote | undefined): number | null {
  const usable = isUsableQuote(quote);
  switch (order.type) {
    case 'MARKET':
      return usable ? touchPrice(quote, order.side) : null;
    case 'LIMIT':
    case 'STOP_LIMIT':
      return order.limitPrice;
    case 'STOP': {
      const stop = order.stopPrice ?? 0;
      if (!usable) return stop;
      const touch = touchPrice(quote, order.side);
      const triggersNow = order.side === 'BUY' ? touch >= stop : touch <= stop;
      return triggersNow ? touch : stop;
    }
  }
}

/** Shares of one symbol held and working: the position plus open buys, minus open sells. */
export interface SymbolBook {
  readonly position: number;
  readonly openBuys: number;
  readonly openSells: number;
}

export function symbolBook(
  symbol: string,
  positions: ReadonlyMap<string, Position>,
  open: readonly OpenOrder[],
): SymbolBook {
  let openBuys = 0;
  let openSells = 0;
  for (const o of open) {
    if (o.symbol !== symbol) continue;
    if (o.side === 'BUY') openBuys = roundQty(openBuys + o.remainingQty);
    else openSells = roundQty(openSells + o.remainingQty);
  }
  return { position: positions.get(symbol)?.qty ?? 0, openBuys, openSells };
}

/** The larger |position| the symbol reaches if every open order on one side fills. */
export function worstCaseQty(book: SymbolBook): number {
  return roundQty(
    Math.max(Math.abs(book.position + book.openBuys), Math.abs(book.position - book.openSells)),
  );
}

export function withOrder(book: SymbolBook, order: ValidOrder): SymbolBook {
  return order.side === 'BUY'
    ? { ...book, openBuys: roundQty(book.openBuys + order.qty) }
    : { ...book, openSells: roundQty(book.openSells + order.qty) };
}

/**
 * Price a symbol's exposure is valued at: the quote mid; without a usable quote, the position's
 * average price, or else the highest price among its open orders (0 if none has one).
 */
export function valuationPrice(
  symbol: string,
  quotes: ReadonlyMap<string, Quote>,
  positions: ReadonlyMap<string, Position>,
  open: readonly OpenOrder[],
): Money {
  const quote = quotes.get(symbol);
  if (isUsableQuote(quote)) return midPrice(quote);
  const avg = positions.get(symbol)?.avgPrice ?? ZERO;
  if (avg.gt(0)) return avg;
  return dec(
    open.reduce((max, o) => (o.symbol === symbol && o.price !== null ? Math.max(max, o.price) : max), 0),
  );
}

/**
 * Sum over symbols of worst-case |position| x price, with `order` included when given. The
 * order's own symbol is valued at the order's reference price so the figure matches the one in
 * the position check.
 */
export function grossExposure(
  positions: ReadonlyMap<string, Position>,
  open: readonly OpenOrder[],
  quotes: ReadonlyMap<string, Quote>,
  order: ValidOrder,
  orderPrice: number,
  includeOrder: boolean,
): Money {
  const symbols = new Set<string>([order.symbol, ...positions.keys(), ...open.map((o) => o.symbol)]);
  let total = ZERO;
  for (const symbol of symbols) {
    let book = symbolBook(symbol, positions, open);
    if (includeOrder && symbol === order.symbol) book = withOrder(book, order);
    const price = symbol === order.symbol ? dec(orderPrice) : valuationPrice(symbol, quotes, positions, open);
    total = total.plus(price.times(worstCaseQty(book)));
  }
  return total;
}
