import type { Quote, Side } from '@tickstream/contracts';

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

export function midPrice(quote: Quote): number {
  return (quote.bid_price + quote.ask_price) / 2;
}

/** The side of the book an order of `side` trades against: the ask for a buy, the bid for a sell. */
export function touchPrice(quote: Quote, side: Side): number {
  return side === 'BUY' ? quote.ask_price : quote.bid_price;
}

/** Shares displayed at the touch an order of `side` trades against. */
export function touchSize(quote: Quote, side: Side): number {
  return side === 'BUY' ? quote.ask_size : quote.bid_size;
}
