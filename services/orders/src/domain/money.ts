import Decimal from 'decimal.js';

/**
 * Money is decimal (decimal.js), never IEEE doubles: with doubles, 10.1 - 10 is
 * 0.09999999999999964 and a day of fills drifts (-4.499999999995907 instead of -4.50). Prices and
 * quantities arrive as doubles (Avro, JSON), but each is a short decimal written by a person or a
 * feed, and `dec` reads a double by its shortest round-trip text (10.1 -> exactly 10.1), so the
 * arithmetic after it is exact.
 *
 * Rounding rules, the only places a value is rounded:
 * - a money amount (realized P&L of a fill, unrealized P&L of a position, a value shown) is
 *   rounded to the cent, half away from zero (Postgres `round()` does the same);
 * - an average price is kept to `AVG_PRICE_DECIMALS` places (half away from zero): a million
 *   shares off by half a unit there move the P&L by half a thousandth of a cent;
 * - quantities stay on Alpaca's 9-decimal grid (`roundQty`).
 * Limits are compared against exact values (notional, exposure) or against the cents a trader is
 * shown (P&L), so what a message says is what the check saw.
 */
const Exact = Decimal.clone({
  // 40 significant digits hold a quantity (6+9 digits) times a price (7+6 digits) with room.
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});

export type Money = Decimal;

export const MONEY_DECIMALS = 2;
export const AVG_PRICE_DECIMALS = 10;

/** A decimal from a double (by its shortest text), a numeric string from Postgres, or a decimal. */
export function dec(value: Decimal.Value): Decimal {
  return new Exact(value);
}

export const ZERO: Decimal = dec(0);

/** To the cent, half away from zero; never -0. */
export function cents(amount: Decimal.Value): Decimal {
  const r = dec(amount).toDecimalPlaces(MONEY_DECIMALS, Decimal.ROUND_HALF_UP);
  return r.isZero() ? ZERO : r;
}

/** An average price to `AVG_PRICE_DECIMALS` places. */
export function avgPrice(value: Decimal): Decimal {
  return value.toDecimalPlaces(AVG_PRICE_DECIMALS, Decimal.ROUND_HALF_UP);
}

/** Text for a numeric column: plain notation (no exponent), every digit kept. */
export function toSql(value: Decimal.Value): string {
  return dec(value).toFixed();
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `52300` -> `$52,300.00`; negative amounts as `-$1,200.50`; `-0.001` -> `$0.00`. */
export function formatUsd(amount: Decimal.Value): string {
  // A cent-rounded amount has at most 17 significant digits below $1e15, so the double is exact.
  return usd.format(cents(amount).toNumber());
}

/** Prices keep up to 6 decimals so sub-dollar prices are not shown wrong: `$0.123456`. */
export function formatPrice(price: Decimal.Value): string {
  const p = dec(price).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  const decimals = Math.max(2, p.decimalPlaces());
  return `$${p.toNumber().toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  })}`;
}

export function formatQty(qty: number): string {
  return qty.toLocaleString('en-US', { maximumFractionDigits: 9 });
}

/**
 * Fractional shares trade with at most 9 decimals (Alpaca's precision); rounding quantities there
 * keeps repeated partial closes from leaving a 1e-15 share "position". `Math.round` gives the exact
 * integer count of billionths and one division the double nearest that decimal.
 */
export function roundQty(qty: number): number {
  const r = Math.round(qty * 1e9) / 1e9;
  return r === 0 ? 0 : r;
}
