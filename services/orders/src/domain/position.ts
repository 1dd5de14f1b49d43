import type { Quote, Side } from '@tickstream/contracts';
import type { Money } from './money';
import { ZERO, avgPrice as roundAvg, cents, dec, roundQty } from './money';
import { isUsableQuote, sideSign, touchPrice } from './order';

/** Holdings of one account in one symbol. */
export interface Position {
  readonly symbol: string;
  /** Signed shares: positive long, negative short, 0 flat. */
  readonly qty: number;
  /** Average entry price of the open quantity (average-cost method, 10 decimals); 0 when flat. */
  readonly avgPrice: Money;
  /** Realized P&L in this symbol since the position record began, USD, in cents. */
  readonly realizedPnl: Money;
}

export interface Fill {
  readonly side: Side;
  readonly qty: number;
  readonly price: number;
}

export interface FillOutcome {
  readonly position: Position;
  /** P&L this fill realized, in cents (0 when it only added to the position); feeds the day's realized P&L. */
  readonly realized: Money;
}

export function flatPosition(symbol: string): Position {
  return { symbol, qty: 0, avgPrice: ZERO, realizedPnl: ZERO };
}

/**
 * Applies one fill with the average-cost method: adding to a position re-averages the entry
 * price; reducing realizes (fill price - average) x closed shares (sign-adjusted for shorts) and
 * leaves the average unchanged; a fill through zero closes the old position and opens the
 * remainder at the fill price. The realized P&L of each fill is rounded to the cent (see money.ts),
 * so a position's and a day's realized P&L are sums of cents.
 *
 * @example
 *   // long 200 @ 11, sell 150 @ 13 -> realized 300, still long 50 @ 11
 *   applyFill({ symbol: 'X', qty: 200, avgPrice: 11, realizedPnl: 0 }, { side: 'SELL', qty: 150, price: 13 });
 */
export function applyFill(position: Position, fill: Fill): FillOutcome {
  const signed = sideSign(fill.side) * fill.qty;
  const { qty, avgPrice } = position;

  const price = dec(fill.price);

  if (qty === 0 || Math.sign(qty) === Math.sign(signed)) {
    const newQty = roundQty(qty + signed);
    const cost = dec(Math.abs(qty)).times(avgPrice).plus(price.times(fill.qty));
    const newAvg = roundAvg(cost.div(Math.abs(newQty)));
    return { position: { ...position, qty: newQty, avgPrice: newAvg }, realized: ZERO };
  }

  const closed = Math.min(Math.abs(qty), fill.qty);
  const realized = cents(price.minus(avgPrice).times(closed).times(Math.sign(qty)));
  const newQty = roundQty(qty + signed);
  const flipped = newQty !== 0 && Math.sign(newQty) !== Math.sign(qty);
  const newAvg = newQty === 0 ? ZERO : flipped ? price : avgPrice;
  return {
    position: {
      ...position,
      qty: newQty,
      avgPrice: newAvg,
      realizedPnl: position.realizedPnl.plus(realized),
    },
    realized,
  };
}

/**
 * The price a position is marked at: the bid for a long and the ask for a short, i.e. what
 * closing it now would fetch. Marking at the liquidation side rather than the mid makes the
 * daily loss limit trip on the loss the trader could actually lock in, spread included.
 */
export function markPrice(position: Position, quote: Quote): number {
  return touchPrice(quote, position.qty > 0 ? 'SELL' : 'BUY');
}

/**
 * Unrealized P&L at the liquidation mark, in cents (what /api/positions shows for it); 0 for a
 * flat position or without a usable quote.
 */
export function unrealizedPnl(position: Position, quote: Quote | undefined): Money {
  if (position.qty === 0 || !isUsableQuote(quote)) return ZERO;
  return cents(dec(markPrice(position, quote)).minus(position.avgPrice).times(position.qty));
}

/**
 * P&L of the trading day: today's realized P&L plus the unrealized P&L of every open position.
 * Positions carried from an earlier day count their whole unrealized P&L since entry (the domain
 * keeps no previous close); a service that wants strict day P&L re-bases `avgPrice` of carried
 * positions to the previous close at the day roll.
 */
export function dayPnl(
  realizedToday: Money,
  positions: ReadonlyMap<string, Position>,
  quotes: ReadonlyMap<string, Quote>,
): Money {
  let total = realizedToday;
  for (const [symbol, position] of positions) total = total.plus(unrealizedPnl(position, quotes.get(symbol)));
  return total;
}
