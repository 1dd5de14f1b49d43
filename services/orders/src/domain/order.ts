import type { BrokerKind, OrderType, Quote, Side, TimeInForce } from '@tickstream/contracts';
import type { Money } from './money';
import { dec } from './money';

/**
 * A PLACE command that passed validation: every field the command leaves nullable is known
 * here, and the price fields match the order type.
 */
export interface ValidOrder {
  readonly orderId: string;
  readonly accountId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Set for LIMIT and STOP_LIMIT, null otherwise. */
  readonly limitPrice: number | null;
  /** Set for STOP and STOP_LIMIT, null otherwise. */
  readonly stopPrice: number | null;
  readonly broker: BrokerKind;
  readonly issuedAt: number;
}

/** An order still working (accepted, not yet done), as the risk checks need to see it. */
export interface OpenOrder {
  readonly orderId: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Quantity not yet filled. */
  readonly remainingQty: number;
  /** Limit price, else stop price, else null (market): values the order when its symbol has no quote. */
  readonly price: number | null;
}

export const SIDES = ['BUY', 'SELL'] as const satisfies readonly Side[];
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'] as const satisfies readonly OrderType[];
export const TIMES_IN_FORCE = ['DAY', 'GTC', 'IOC', 'FOK'] as const satisfies readonly TimeInForce[];

/** +1 for BUY, -1 for SELL: the sign a fill of this side adds to a position. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/**
 * A quote the domain may price against: both sides present and not crossed. Feeds send zero or
 * crossed quotes around the open and on halts; pricing a market order off one would fill it at
 * nonsense, so such a quote counts as no market data.
 */
export function isUsableQuote(quote: Quote | undefined): quote is Quote {
  return (
    quote !== undefined &&
    Number.isFinite(quote.bid_price) &&
    Number.isFinite(quote.ask_price) &&
    quote.bid_price > 0 &&
    quote.ask_price >= quote.bid_price
  );
}

/** Exact: the mid of 10.1 and 10.2 is 10.15, not 10.149999999999999. */
export function midPrice(quote: Quote): Money {
  return dec(quote.bid_price).plus(quote.ask_price).div(2);
}

/** The side of the book an order of `side` trades against: the ask for a buy, the bid for a sell. */
export function touchPrice(quote: Quote, side: Side): number {
  return side === 'BUY' ? quote.ask_price : quote.bid_price;
}

/** Shares displayed at the touch an order of `side` trades against. */
export function touchSize(quote: Quote, side: Side): number {
  return side === 'BUY' ? quote.ask_size : quote.bid_size;
}
