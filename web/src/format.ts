/**
 * An amount as the REST API may send it: a number, or an exact decimal string ("1234.50").
 * Display and arithmetic go through `toNumber`, so both shapes read the same.
 */
export type Numeric = number | string | null | undefined;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number an amount stands for; null for null, undefined, '' or anything not a finite number. */
export function toNumber(v: Numeric): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!DECIMAL.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

function shown(v: Numeric, f: (n: number) => string): string {
  const n = toNumber(v);
  return n === null ? '—' : f(n);
}

export const fmtPrice = (v: Numeric) => shown(v, (n) => price.format(n));
export const fmtUsd = (v: Numeric) => shown(v, (n) => usd.format(n));
export const fmtQty = (v: Numeric) => shown(v, (n) => qty.format(n));
export const fmtCompact = (v: Numeric) => shown(v, (n) => compact.format(n));

export function fmtSigned(v: Numeric, digits = 2): string {
  return shown(v, (n) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(digits)}`);
}

export function fmtPct(v: Numeric): string {
  const n = toNumber(v);
  return n === null ? '—' : `${fmtSigned(n * 100)}%`;
}

/** "4 s ago", "3 min ago", "2 h ago". */
export function fmtAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

export const fmtTime = (t: number) => new Date(t).toLocaleTimeString('en-US', { hour12: false });

/** 'pos', 'neg' or '' for the sign of a value. */
export function tone(v: Numeric): '' | 'pos' | 'neg' {
  const n = toNumber(v);
  return n === null || n === 0 ? '' : n > 0 ? 'pos' : 'neg';
}

/** As `tone`, for a dollar amount: one that shows as $0.00 is neither. */
export function toneUsd(v: Numeric): '' | 'pos' | 'neg' {
  const n = toNumber(v);
  return n === null ? '' : tone(Math.round(n * 100));
}
