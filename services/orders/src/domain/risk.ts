import type { Quote, RiskLimits } from '@tickstream/contracts';
import type { Rejection } from './errors';
import { grossExposure, referencePrice, symbolBook, withOrder, worstCaseQty } from './exposure';
import { dec, formatPrice, formatQty, formatUsd } from './money';
import type { OpenOrder, ValidOrder } from './order';
import { isUsableQuote, midPrice } from './order';
import type { Position } from './position';
import { dayPnl } from './position';
import type { DayHalt, TradingDayState } from './session';
import { tradingDayState } from './session';
import { normalizeSymbol } from './validation';

/** Stable codes of risk rejections; each names the limit that refused the order. */
export const RiskCode = {
  KILL_SWITCH: 'KILL_SWITCH',
  TRADING_DISABLED: 'TRADING_DISABLED',
  DAILY_LOSS_LIMIT: 'DAILY_LOSS_LIMIT',
  SYMBOL_DENIED: 'SYMBOL_DENIED',
  SYMBOL_NOT_ALLOWED: 'SYMBOL_NOT_ALLOWED',
  ORDER_RATE_LIMIT: 'ORDER_RATE_LIMIT',
  NO_MARKET_DATA: 'NO_MARKET_DATA',
  PRICE_BAND: 'PRICE_BAND',
  MAX_ORDER_QTY: 'MAX_ORDER_QTY',
  MAX_ORDER_NOTIONAL: 'MAX_ORDER_NOTIONAL',
  MAX_POSITION_NOTIONAL: 'MAX_POSITION_NOTIONAL',
  MAX_GROSS_EXPOSURE: 'MAX_GROSS_EXPOSURE',
} as const;
export type RiskCode = (typeof RiskCode)[keyof typeof RiskCode];

const RATE_WINDOW_MS = 60_000;

/** Everything the risk checks read; the caller snapshots it from its own state before the call. */
export interface RiskContext {
  readonly limits: RiskLimits;
  /** The account's positions by symbol. */
  readonly positions: ReadonlyMap<string, Position>;
  /** The account's working orders (accepted, not done). */
  readonly openOrders: readonly OpenOrder[];
  /** Latest quote by symbol: prices market orders, the price band and positions. */
  readonly quotes: ReadonlyMap<string, Quote>;
  /** The account's trading-day state; a stale or null one counts as a fresh day. */
  readonly day: TradingDayState | null;
  /** Times of the account's recently accepted orders (older ones are ignored). */
  readonly recentOrderTimes: readonly number[];
  readonly now: number;
  /** Global kill switch: when on, every new order of every account is refused. */
  readonly killSwitch: boolean;
  /** The account's own trading switch. */
  readonly tradingEnabled: boolean;
}

export interface RiskRejection extends Rejection {
  readonly code: RiskCode;
  /** Only on a DAILY_LOSS_LIMIT breach found by this call: persist it with `haltTradingForDay`. */
  readonly halt: (DayHalt & { readonly at: number }) | null;
}

export type RiskResult = { readonly ok: true } | ({ readonly ok: false } & RiskRejection);

type Check = (order: ValidOrder, ctx: RiskContext, price: number | null) => RiskResult | null;

function fail(code: RiskCode, detail: string, halt: RiskRejection['halt'] = null): RiskResult {
  return { ok: false, code, message: `${code}: ${detail}`, halt };
}

const killSwitch: Check = (_o, ctx) =>
  ctx.killSwitch ? fail(RiskCode.KILL_SWITCH, 'all trading is stopped by the platform kill switch') : null;

const tradingDisabled: Check = (_o, ctx) =>
  ctx.tradingEnabled ? null : fail(RiskCode.TRADING_DISABLED, 'trading is disabled for your account');

/**
 * Once halted, every order is refused, closing ones included: the day is over for the account
 * unless an admin lifts the halt. The refusal names the limit and P&L of the breach, which the
 * halt keeps: the limit in force now may be another one.
 */
const dailyLoss: Check = (_o, ctx) => {
  const day = tradingDayState(ctx.day, ctx.now);
  if (day.halt) {
    const { limit, pnl } = day.halt;
    const breach =
      limit !== null && pnl !== null
        ? `today's P&L reached ${formatUsd(pnl)} against your daily loss limit of ${formatUsd(limit)}`
        : 'your daily loss limit was breached';
    return fail(
      RiskCode.DAILY_LOSS_LIMIT,
      `trading is halted for ${day.tradingDay}: ${breach}; it resumes next trading day unless an admin lifts the halt`,
    );
  }
  const limit = dec(ctx.limits.dailyLossLimit);
  const pnl = dayPnl(day.realizedPnl, ctx.positions, ctx.quotes);
  if (pnl.neg().lte(limit)) return null;
  return fail(
    RiskCode.DAILY_LOSS_LIMIT,
    `today's P&L of ${formatUsd(pnl)} (realized ${formatUsd(day.realizedPnl)}) breaches your daily loss limit of ${formatUsd(limit)}; trading is halted until the next trading day`,
    { at: ctx.now, limit, pnl },
  );
};

/**
 * The lists are compared normalised: the gateway stores them upper-cased, but a list written
 * before it did (`["tsla"]`) must still block TSLA, not silently nothing.
 */
const symbolLists: Check = (order, ctx) => {
  const listed = (list: readonly string[]) => list.some((s) => normalizeSymbol(s) === order.symbol);
  const { allowedSymbols, deniedSymbols } = ctx.limits;
  if (listed(deniedSymbols)) {
    return fail(RiskCode.SYMBOL_DENIED, `${order.symbol} is on your account's deny list`);
  }
  if (allowedSymbols.length > 0 && !listed(allowedSymbols)) {
    return fail(RiskCode.SYMBOL_NOT_ALLOWED, `${order.symbol} is not on your account's allow list`);
  }
  return null;
};

const orderRate: Check = (_o, ctx) => {
  const max = ctx.limits.maxOrdersPerMinute;
  const inWindow = ctx.recentOrderTimes.filter((t) => t > ctx.now - RATE_WINDOW_MS && t <= ctx.now);
  if (inWindow.length < max) return null;
  const oldest = Math.min(...inWindow);
  const retryInS = Math.ceil((oldest + RATE_WINDOW_MS - ctx.now) / 1000);
  return fail(
    RiskCode.ORDER_RATE_LIMIT,
    `${inWindow.length} orders in the last 60s reach your limit of ${max} per minute; retry in ${retryInS}s`,
  );
};

const marketData: Check = (order, _ctx, price) =>
  price === null
    ? fail(RiskCode.NO_MARKET_DATA, `no usable quote for ${order.symbol}, so a market order cannot be priced`)
    : null;

const priceBand: Check = (order, ctx) => {
  const quote = ctx.quotes.get(order.symbol);
  if (order.limitPrice === null || !isUsableQuote(quote)) return null;
  const mid = midPrice(quote);
  const distancePct = dec(order.limitPrice).minus(mid).abs().div(mid).times(100);
  if (distancePct.lte(ctx.limits.priceBandPct)) return null;
  return fail(
    RiskCode.PRICE_BAND,
    `limit price ${formatPrice(order.limitPrice)} is ${distancePct.toFixed(1)}% from the ${order.symbol} mid of ${formatPrice(mid)}; your band is ${ctx.limits.priceBandPct}%`,
  );
};

const orderQty: Check = (order, ctx) =>
  order.qty > ctx.limits.maxOrderQty
    ? fail(
        RiskCode.MAX_ORDER_QTY,
        `order quantity ${formatQty(order.qty)} exceeds your limit of ${formatQty(ctx.limits.maxOrderQty)} shares`,
      )
    : null;

const orderNotional: Check = (order, ctx, price) => {
  const notional = dec(price ?? 0).times(order.qty);
  if (notional.lte(ctx.limits.maxOrderNotional)) return null;
  return fail(
    RiskCode.MAX_ORDER_NOTIONAL,
    `order notional ${formatUsd(notional)} exceeds your limit of ${formatUsd(ctx.limits.maxOrderNotional)}`,
  );
};

/** Refused only if the order grows the exposure: an order that shrinks an oversized position always passes. */
const positionNotional: Check = (order, ctx, price) => {
  const book = symbolBook(order.symbol, ctx.positions, ctx.openOrders);
  const before = worstCaseQty(book);
  const after = worstCaseQty(withOrder(book, order));
  const notional = dec(price ?? 0).times(after);
  if (notional.lte(ctx.limits.maxPositionNotional) || after <= before) return null;
  return fail(
    RiskCode.MAX_POSITION_NOTIONAL,
    `${order.symbol} position would reach ${formatUsd(notional)} (${formatQty(after)} shares counting open orders, at ${formatPrice(price ?? 0)}), above your limit of ${formatUsd(ctx.limits.maxPositionNotional)}`,
  );
};

const grossExposureCheck: Check = (order, ctx, price) => {
  const p = price ?? 0;
  const before = grossExposure(ctx.positions, ctx.openOrders, ctx.quotes, order, p, false);
  const after = grossExposure(ctx.positions, ctx.openOrders, ctx.quotes, order, p, true);
  if (after.lte(ctx.limits.maxGrossExposure) || after.lte(before)) return null;
  return fail(
    RiskCode.MAX_GROSS_EXPOSURE,
    `gross exposure would reach ${formatUsd(after)} (now ${formatUsd(before)}, counting open orders), above your limit of ${formatUsd(ctx.limits.maxGrossExposure)}`,
  );
};

/**
 * The checks in the order they run; the first failure is returned:
 * KILL_SWITCH, TRADING_DISABLED, DAILY_LOSS_LIMIT, SYMBOL_DENIED, SYMBOL_NOT_ALLOWED,
 * ORDER_RATE_LIMIT, NO_MARKET_DATA, PRICE_BAND, MAX_ORDER_QTY, MAX_ORDER_NOTIONAL,
 * MAX_POSITION_NOTIONAL, MAX_GROSS_EXPOSURE.
 * Platform and account switches come first (nothing else matters when trading is off), then the
 * symbol lists and the order rate (cheap, and they say the order may not be sent at all), then
 * the checks that need a price, from the order alone (band, quantity, notional) to the whole
 * account (position, gross exposure).
 */
const CHECKS: readonly Check[] = [
  killSwitch,
  tradingDisabled,
  dailyLoss,
  symbolLists,
  orderRate,
  marketData,
  priceBand,
  orderQty,
  orderNotional,
  positionNotional,
  grossExposureCheck,
];

/** Runs the pre-trade checks, in the order of `CHECKS`, on a validated order; pure. */
export function checkRiskLimits(order: ValidOrder, ctx: RiskContext): RiskResult {
  const price = referencePrice(order, ctx.quotes.get(order.symbol));
  for (const check of CHECKS) {
    const result = check(order, ctx, price);
    if (result) return result;
  }
  return { ok: true };
}
