import type { OrderCommand, OrderType, TimeInForce } from '@tickstream/contracts';
import { QTY_DECIMALS, decimalPlaces, isValidSymbol } from '@tickstream/contracts';
import type { Checked } from './errors';
import { formatQty } from './money';
import type { ValidOrder } from './order';
import { ORDER_TYPES, SIDES, TIMES_IN_FORCE } from './order';

/** Stable codes of validation rejections; clients switch on these. */
export const ValidationCode = {
  NOT_A_PLACE_COMMAND: 'NOT_A_PLACE_COMMAND',
  INVALID_SYMBOL: 'INVALID_SYMBOL',
  INVALID_SIDE: 'INVALID_SIDE',
  INVALID_QTY: 'INVALID_QTY',
  FRACTIONAL_QTY_NOT_ALLOWED: 'FRACTIONAL_QTY_NOT_ALLOWED',
  INVALID_ORDER_TYPE: 'INVALID_ORDER_TYPE',
  INVALID_TIME_IN_FORCE: 'INVALID_TIME_IN_FORCE',
  MISSING_LIMIT_PRICE: 'MISSING_LIMIT_PRICE',
  UNEXPECTED_LIMIT_PRICE: 'UNEXPECTED_LIMIT_PRICE',
  MISSING_STOP_PRICE: 'MISSING_STOP_PRICE',
  UNEXPECTED_STOP_PRICE: 'UNEXPECTED_STOP_PRICE',
  INVALID_PRICE: 'INVALID_PRICE',
  INVALID_PRICE_INCREMENT: 'INVALID_PRICE_INCREMENT',
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

export interface ValidationOptions {
  /** The account may trade fractional shares (still only MARKET DAY orders, as at Alpaca). */
  readonly allowFractional: boolean;
}

/** A symbol as the market data and orders spell it: trimmed, upper case (` brk.b` -> `BRK.B`). */
export function normalizeSymbol(symbol: string): string {
  return symbol.trim().toUpperCase();
}
/** Fractional quantities are accepted to Alpaca's precision and no finer. */
/** Decimal places allowed in a price at or above $1, and below $1. */
export const PRICE_DECIMALS = { atOrAboveOneDollar: 4, belowOneDollar: 6 } as const;

const NEEDS_LIMIT: Record<OrderType, boolean> = { MARKET: false, LIMIT: true, STOP: false, STOP_LIMIT: true };
const NEEDS_STOP: Record<OrderType, boolean> = { MARKET: false, LIMIT: false, STOP: true, STOP_LIMIT: true };
/** A stop waits for its trigger; immediate-or-cancel would cancel it before it could ever work. */
const STOP_TIFS: readonly TimeInForce[] = ['DAY', 'GTC'];

function reject(code: ValidationCode, message: string): Checked<never> {
  return { ok: false, code, message };
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function checkPrice(name: 'limit' | 'stop', price: number): Checked<never> | null {
  if (!Number.isFinite(price) || price <= 0) {
    return reject(ValidationCode.INVALID_PRICE, `${name} price must be a positive number, got ${price}`);
  }
  const max = price >= 1 ? PRICE_DECIMALS.atOrAboveOneDollar : PRICE_DECIMALS.belowOneDollar;
  if (decimalPlaces(price) > max) {
    const band = price >= 1 ? 'at or above $1' : 'below $1';
    return reject(
      ValidationCode.INVALID_PRICE_INCREMENT,
      `${name} price ${price} has more than ${max} decimals; prices ${band} allow at most ${max}`,
    );
  }
  return null;
}

/**
 * Checks a PLACE command field by field and returns the first problem, or the order with its
 * nullable fields resolved. The order of checks follows the order a trader fills in a ticket,
 * so the message points at the first field to fix.
 */
export function validatePlaceCommand(cmd: OrderCommand, opts: ValidationOptions): Checked<ValidOrder> {
  if (cmd.action !== 'PLACE') {
    return reject(ValidationCode.NOT_A_PLACE_COMMAND, `expected a PLACE command, got ${cmd.action}`);
  }
  const { symbol, side, qty, order_type: type, time_in_force: tif } = cmd;
  if (symbol === null || !isValidSymbol(symbol)) {
    return reject(
      ValidationCode.INVALID_SYMBOL,
      `symbol ${JSON.stringify(symbol)} is not a ticker: use 1-10 upper-case letters and digits, starting with a letter, with single dots between parts (e.g. AAPL, BRK.B)`,
    );
  }
  if (!oneOf(SIDES, side)) {
    return reject(ValidationCode.INVALID_SIDE, `side must be BUY or SELL, got ${JSON.stringify(side)}`);
  }
  if (qty === null || !Number.isFinite(qty) || qty <= 0) {
    return reject(ValidationCode.INVALID_QTY, `quantity must be a positive number of shares, got ${qty}`);
  }
  if (!oneOf(ORDER_TYPES, type)) {
    return reject(
      ValidationCode.INVALID_ORDER_TYPE,
      `order type must be one of ${ORDER_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
    );
  }
  if (!oneOf(TIMES_IN_FORCE, tif)) {
    return reject(
      ValidationCode.INVALID_TIME_IN_FORCE,
      `time in force must be one of ${TIMES_IN_FORCE.join(', ')}, got ${JSON.stringify(tif)}`,
    );
  }
  if (NEEDS_STOP[type] && !STOP_TIFS.includes(tif)) {
    return reject(
      ValidationCode.INVALID_TIME_IN_FORCE,
      `${type} orders must be DAY or GTC: a ${tif} order would be canceled before its stop could trigger`,
    );
  }
  // Before the fractional rules: a quantity such as 1e-10 is not "fractional shares" but one no
  // order can carry (and formatted to 9 decimals it would read as 0).
  if (decimalPlaces(qty) > QTY_DECIMALS) {
    return reject(ValidationCode.INVALID_QTY, `quantity ${qty} has more than ${QTY_DECIMALS} decimals`);
  }
  if (!Number.isInteger(qty)) {
    if (!opts.allowFractional) {
      return reject(
        ValidationCode.FRACTIONAL_QTY_NOT_ALLOWED,
        `quantity ${formatQty(qty)} is fractional and your account trades whole shares only`,
      );
    }
    if (type !== 'MARKET' || tif !== 'DAY') {
      return reject(
        ValidationCode.FRACTIONAL_QTY_NOT_ALLOWED,
        `fractional quantity ${formatQty(qty)} is only allowed on MARKET DAY orders, not ${type} ${tif}`,
      );
    }
  }

  const limit = cmd.limit_price;
  const stop = cmd.stop_price;
  if (NEEDS_LIMIT[type] && limit === null) {
    return reject(ValidationCode.MISSING_LIMIT_PRICE, `${type} orders need a limit price`);
  }
  if (!NEEDS_LIMIT[type] && limit !== null) {
    return reject(
      ValidationCode.UNEXPECTED_LIMIT_PRICE,
      `${type} orders take no limit price; remove ${limit}`,
    );
  }
  if (NEEDS_STOP[type] && stop === null) {
    return reject(ValidationCode.MISSING_STOP_PRICE, `${type} orders need a stop price`);
  }
  if (!NEEDS_STOP[type] && stop !== null) {
    return reject(ValidationCode.UNEXPECTED_STOP_PRICE, `${type} orders take no stop price; remove ${stop}`);
  }
  const badPrice =
    (limit !== null && checkPrice('limit', limit)) || (stop !== null && checkPrice('stop', stop));
  if (badPrice) return badPrice;

  return {
    ok: true,
    value: {
      orderId: cmd.order_id,
      accountId: cmd.account_id,
      clientOrderId: cmd.client_order_id,
      symbol,
      side,
      qty,
      type,
      timeInForce: tif,
      limitPrice: limit,
      stopPrice: stop,
      broker: cmd.broker,
      issuedAt: cmd.issued_at,
    },
  };
}
