import type {
  AccountSummary,
  OrderType,
  OrderView,
  PositionView,
  RiskLimits,
  Side,
  TimeInForce,
} from '@tickstream/contracts';
import { fmtPrice, fmtQty, fmtUsd, toNumber } from '../format';

/**
 * The ticket's checks while the trader types, in words a trader acts on. They mirror the order
 * service's validation and pre-trade limits (services/orders/src/domain: validation.ts, risk.ts,
 * exposure.ts), which stay the authority: a check here only spares a round trip and a rejection.
 * The browser bundle cannot import the service, and these rules are a page of arithmetic.
 */

export interface TicketInput {
  symbol: string | null;
  side: Side;
  type: OrderType;
  tif: TimeInForce;
  /** The fields as typed. */
  qty: string;
  limit: string;
  stop: string;
}

export interface Book {
  limits: RiskLimits | null;
  broker: 'SIM' | 'ALPACA';
  /** The selected symbol's quote from the stream. */
  bid: number | null;
  ask: number | null;
  positions: readonly PositionView[];
  openOrders: readonly OrderView[];
  account: AccountSummary | null;
  /** Quote mid of any symbol, for valuing the rest of the account; null when not streamed. */
  midOf: (symbol: string) => number | null;
}

export type Field = 'symbol' | 'qty' | 'limit' | 'stop' | 'tif' | 'account';

export interface TicketCheck {
  qty: number | null;
  /** The price the order is valued at (the order service's reference price). */
  price: number | null;
  /** qty x price. */
  estimate: number | null;
  /** Room left under the gross exposure limit, counting open orders; null without limits. */
  buyingPower: number | null;
  /** Why the order cannot be sent as typed; the button is disabled with this text. */
  blocker: { field: Field; text: string } | null;
  /** Sendable, but the trader confirms first (a sell larger than the position, a short sale). */
  confirm: string | null;
}

const QTY_DECIMALS = 9;

function decimals(typed: string): number {
  const m = /\.(\d*)$/.exec(typed.trim());
  return m ? m[1]!.replace(/0+$/, '').length : 0;
}

/** Positive finite number typed in a field, or null. */
function positive(typed: string): number | null {
  const n = toNumber(typed);
  return n !== null && n > 0 ? n : null;
}

function priceProblem(name: 'Limit' | 'Stop', typed: string): string | null {
  if (typed.trim() === '') return `Enter a ${name.toLowerCase()} price.`;
  const p = positive(typed);
  if (p === null) return `${name} price must be a number above 0.`;
  const max = p >= 1 ? 4 : 6;
  if (decimals(typed) > max)
    return `${name} price has too many decimals: at most ${max} for prices ${p >= 1 ? 'at or above' : 'below'} $1.`;
  return null;
}

/** Shares held and working in one symbol: the position, open buys and open sells still to fill. */
function symbolBook(symbol: string, book: Book, order?: { side: Side; qty: number }) {
  let buys = 0;
  let sells = 0;
  for (const o of book.openOrders) {
    if (o.symbol !== symbol || o.qty === null) continue;
    const rest = Math.max(0, o.qty - o.filledQty);
    if (o.side === 'BUY') buys += rest;
    else sells += rest;
  }
  if (order?.side === 'BUY') buys += order.qty;
  if (order?.side === 'SELL') sells += order.qty;
  const position = toNumber(book.positions.find((p) => p.symbol === symbol)?.qty) ?? 0;
  // The larger |position| the symbol reaches if every open order on one side fills.
  return Math.max(Math.abs(position + buys), Math.abs(position - sells));
}

function valuation(symbol: string, book: Book): number {
  const mid = book.midOf(symbol);
  if (mid !== null) return mid;
  const p = book.positions.find((x) => x.symbol === symbol);
  return toNumber(p?.avgPrice) ?? 0;
}

/** Sum over symbols of worst-case |position| x price, optionally with the order in it. */
function grossExposure(
  book: Book,
  symbol: string | null,
  price: number | null,
  order?: { side: Side; qty: number },
) {
  const symbols = new Set<string>([
    ...(symbol ? [symbol] : []),
    ...book.positions.map((p) => p.symbol),
    ...book.openOrders.filter((o) => o.symbol && o.qty !== null).map((o) => o.symbol!),
  ]);
  let total = 0;
  for (const s of symbols) {
    const at = s === symbol && price !== null ? price : valuation(s, book);
    total += symbolBook(s, book, s === symbol ? order : undefined) * at;
  }
  return total;
}

/** The price the order service values the order at; null when it cannot be priced yet. */
function referencePrice(input: TicketInput, book: Book, limit: number | null, stop: number | null) {
  const touch = input.side === 'BUY' ? book.ask : book.bid;
  switch (input.type) {
    case 'MARKET':
      return touch;
    case 'LIMIT':
    case 'STOP_LIMIT':
      return limit;
    case 'STOP':
      if (stop === null || touch === null) return stop;
      return (input.side === 'BUY' ? touch >= stop : touch <= stop) ? touch : stop;
  }
}

function sellConfirmation(symbol: string, qty: number, book: Book): string | null {
  const held = toNumber(book.positions.find((p) => p.symbol === symbol)?.qty) ?? 0;
  if (held > 0 && qty <= held) return null;
  if (held > 0)
    return `You hold ${fmtQty(held)} ${symbol}. Selling ${fmtQty(qty)} sells all of them and opens a short position of ${fmtQty(qty - held)} shares.`;
  if (held < 0)
    return `You are already short ${fmtQty(-held)} ${symbol}. This sells short ${fmtQty(qty)} more, for a short of ${fmtQty(qty - held)} shares.`;
  return `You hold no ${symbol}. This is a short sale of ${fmtQty(qty)} shares: you owe the shares until you buy them back.`;
}

export function checkTicket(input: TicketInput, book: Book): TicketCheck {
  const limits = book.limits;
  const qty = positive(input.qty);
  const needsLimit = input.type === 'LIMIT' || input.type === 'STOP_LIMIT';
  const needsStop = input.type === 'STOP' || input.type === 'STOP_LIMIT';
  const limit = needsLimit ? positive(input.limit) : null;
  const stop = needsStop ? positive(input.stop) : null;
  const price = referencePrice(input, book, limit, stop);
  const estimate = qty !== null && price !== null ? qty * price : null;
  const exposureNow = grossExposure(book, null, null);
  const buyingPower = limits ? Math.max(0, limits.maxGrossExposure - exposureNow) : null;
  const result = (blocker: TicketCheck['blocker'], confirm: string | null = null): TicketCheck => ({
    qty,
    price,
    estimate,
    buyingPower,
    blocker,
    confirm,
  });
  const block = (field: Field, text: string) => result({ field, text });

  const symbol = input.symbol;
  if (!symbol) return block('symbol', 'Select a symbol first.');
  const account = book.account;
  if (account?.killSwitch)
    return block('account', 'Trading is stopped for everyone right now (kill switch).');
  if (account && !account.tradingEnabled)
    return block('account', 'Trading is disabled for your account. Ask an administrator.');
  if (limits && !limits.tradingEnabled)
    return block('account', 'Trading is disabled for your account. Ask an administrator.');
  if (account?.haltedForDay)
    return block('account', 'Trading is halted until tomorrow: your daily loss limit was reached.');
  if (limits?.deniedSymbols.includes(symbol))
    return block('symbol', `${symbol} may not be traded on your account.`);
  if (limits && limits.allowedSymbols.length > 0 && !limits.allowedSymbols.includes(symbol))
    return block('symbol', `${symbol} is not on the list of symbols your account may trade.`);

  if (input.qty.trim() === '') return block('qty', 'Enter a quantity.');
  if (qty === null) return block('qty', 'Quantity must be a number of shares above 0.');
  if (!Number.isInteger(qty)) {
    if (book.broker === 'SIM')
      return block('qty', 'Whole shares only: the simulator does not trade fractions of a share.');
    if (input.type !== 'MARKET' || input.tif !== 'DAY')
      return block('qty', 'Fractional shares can only be traded with a Market order, time in force DAY.');
    if (decimals(input.qty) > QTY_DECIMALS)
      return block('qty', `Quantity has too many decimals: at most ${QTY_DECIMALS}.`);
  }
  if (needsStop && input.tif !== 'DAY' && input.tif !== 'GTC')
    return block(
      'tif',
      `Stop orders must be DAY or GTC: ${input.tif} would cancel before the stop could trigger.`,
    );
  if (needsLimit) {
    const p = priceProblem('Limit', input.limit);
    if (p) return block('limit', p);
  }
  if (needsStop) {
    const p = priceProblem('Stop', input.stop);
    if (p) return block('stop', p);
  }
  if (price === null) return block('symbol', `No price for ${symbol} yet: wait for a quote.`);

  if (limits) {
    const mid = book.bid !== null && book.ask !== null && book.bid > 0 ? (book.bid + book.ask) / 2 : null;
    if (limit !== null && mid !== null) {
      const away = (Math.abs(limit - mid) / mid) * 100;
      if (away > limits.priceBandPct)
        return block(
          'limit',
          `Limit ${fmtPrice(limit)} is ${away.toFixed(1)}% from the market (${fmtPrice(mid)}); your limit is ${limits.priceBandPct}% either side.`,
        );
    }
    if (qty > limits.maxOrderQty)
      return block(
        'qty',
        `${fmtQty(qty)} shares is more than your limit of ${fmtQty(limits.maxOrderQty)} shares per order.`,
      );
    if (estimate !== null && estimate > limits.maxOrderNotional)
      return block(
        'qty',
        `This order is worth ${fmtUsd(estimate)}, more than your limit of ${fmtUsd(limits.maxOrderNotional)} per order. At most ${fmtQty(Math.floor(limits.maxOrderNotional / price))} shares.`,
      );
    const order = { side: input.side, qty };
    const before = symbolBook(symbol, book);
    const after = symbolBook(symbol, book, order);
    if (after > before && after * price > limits.maxPositionNotional)
      return block(
        'qty',
        `Your ${symbol} position would reach ${fmtUsd(after * price)} (counting open orders), above your limit of ${fmtUsd(limits.maxPositionNotional)} per symbol.`,
      );
    const grossBefore = grossExposure(book, symbol, price);
    const grossAfter = grossExposure(book, symbol, price, order);
    if (grossAfter > grossBefore && grossAfter > limits.maxGrossExposure)
      return block(
        'qty',
        `Not enough buying power: this order needs ${fmtUsd(grossAfter - grossBefore)} and you have ${fmtUsd(Math.max(0, limits.maxGrossExposure - grossBefore))} left.`,
      );
  }
  return result(null, input.side === 'SELL' ? sellConfirmation(symbol, qty, book) : null);
}
