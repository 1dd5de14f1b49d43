import Decimal from 'decimal.js';

/**
 * Money the gateway answers with, computed from the order service's numeric columns (pg returns
 * them as strings) in exact decimal, by the order service's rules: amounts to the cent, half away
 * from zero; prices as stored. JSON carries them as numbers whose shortest text is that decimal
 * (-4.35, never -4.349999999999998); see docs/API.md, "Money in JSON".
 */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

export type Money = Decimal;

export function dec(value: Decimal.Value): Decimal {
  return new Exact(value);
}

export const ZERO: Decimal = dec(0);

/** To the cent, half away from zero, never -0. */
export function cents(amount: Decimal.Value): Decimal {
  const r = dec(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return r.isZero() ? ZERO : r;
}

/** An amount for JSON: rounded to the cent. */
export function usd(amount: Decimal.Value): number {
  return cents(amount).toNumber();
}

/** A price or quantity for JSON: at most `places` decimals (6: the finest price increment accepted). */
export function decimalNumber(value: Decimal.Value, places = 6): number {
  return dec(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toNumber();
}

/** A nullable numeric column as a number for JSON (quantities, order prices: short decimals). */
export function numeric(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}
