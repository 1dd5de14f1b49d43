/**
 * Money is plain IEEE doubles: US equity prices and P&L of one account stay far below the range
 * where doubles lose cents, and every amount shown to a trader goes through `formatUsd`, which
 * rounds. Comparisons against limits use the unrounded value, so a limit is never passed by a
 * rounding artefact in the trader's favour.
 */

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `52300` -> `$52,300.00`; negative amounts as `-$1,200.50`. */
export function formatUsd(amount: number): string {
  return usd.format(amount);
}

/** Prices keep up to 6 decimals so sub-dollar prices are not shown wrong: `$0.123456`. */
export function formatPrice(price: number): string {
  const decimals = countDecimals(price);
  return `$${price.toLocaleString('en-US', {
    minimumFractionDigits: Math.max(2, Math.min(decimals, 6)),
    maximumFractionDigits: 6,
  })}`;
}

export function formatQty(qty: number): string {
  return qty.toLocaleString('en-US', { maximumFractionDigits: 9 });
}

/**
 * Fractional shares trade with at most 9 decimals (Alpaca's precision); rounding quantities there
 * keeps repeated partial closes from leaving a 1e-15 share "position".
 */
export function roundQty(qty: number): number {
  const r = Math.round(qty * 1e9) / 1e9;
  return r === 0 ? 0 : r;
}

/**
 * Decimal places of a double as a human typed it. The tolerance absorbs binary representation
 * error (0.1 + 0.2), so 10.15 counts as 2 decimals, not 17.
 */
export function countDecimals(value: number, max = 12): number {
  for (let d = 0; d <= max; d++) {
    const scaled = value * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-10 * Math.max(1, Math.abs(scaled))) return d;
  }
  return max + 1;
}
