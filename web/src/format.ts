const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const fmtPrice = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : price.format(n);
export const fmtUsd = (n: number | null | undefined) => (n === null || n === undefined ? '—' : usd.format(n));
export const fmtQty = (n: number | null | undefined) => (n === null || n === undefined ? '—' : qty.format(n));
export const fmtCompact = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : compact.format(n);

export function fmtSigned(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined) return '—';
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(digits)}`;
}

export function fmtPct(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${fmtSigned(n * 100)}%`;
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

export const tone = (n: number | null | undefined) =>
  n === null || n === undefined || n === 0 ? '' : n > 0 ? 'pos' : 'neg';
