import Decimal from 'decimal.js';
import { cents, dec } from '../domain';

// Money as the REST API shows it, from the numeric columns (pg returns exact decimal strings), by
// the service's own rules: amounts to the cent, half away from zero; prices as stored. JSON
// carries them as numbers whose shortest text is that decimal (-4.35, never -4.349999999999998);
// see docs/API.md, "Money in JSON".

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
