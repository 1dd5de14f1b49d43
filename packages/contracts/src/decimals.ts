/** Quantities carry at most 9 decimals (Alpaca's precision for fractional shares). */
export const QTY_DECIMALS = 9;

/**
 * Decimal places of a number as it was written: JSON and Avro hand over doubles whose shortest
 * round-trip text (`String`) is the text the client sent, so `1e-10` has 10 places and `10.15`
 * two. A tolerance-based count (scale until within 1e-10 of an integer) called 1e-10 and
 * 1.0000000001 whole numbers; this reads the text instead.
 */
export function decimalPlaces(value: number): number {
  if (!Number.isFinite(value)) return Number.POSITIVE_INFINITY;
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}
