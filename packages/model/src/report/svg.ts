// Small inline-SVG charts for the HTML report: no script, no external file, so the page is one
// self-contained document that a browser, a mail client or an archive shows the same.

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

export interface Series {
  name: string;
  color: string;
  values: readonly number[];
}

const PAD = { left: 48, right: 12, top: 20, bottom: 24 };

function ticks(
  lo: number,
  hi: number,
  x0: number,
  y: (v: number) => number,
  fmt: (v: number) => string,
): string {
  return [lo, (lo + hi) / 2, hi]
    .map(
      (v) =>
        `<line x1="${x0}" x2="${x0 - 4}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="#888"/>` +
        `<text x="${x0 - 6}" y="${num(y(v) + 4)}" text-anchor="end">${escapeHtml(fmt(v))}</text>`,
    )
    .join('');
}

/**
 * Lines over a shared x axis (index), y scaled to the data, with a dashed reference line at
 * `reference` (e.g. equity 1) and a legend.
 */
export function lineChart(
  series: readonly Series[],
  opts: {
    width?: number;
    height?: number;
    reference?: number;
    xLabels?: [string, string];
    yFormat?: (v: number) => string;
  } = {},
): string {
  const { width = 420, height = 200, reference, xLabels, yFormat = (v) => v.toFixed(3) } = opts;
  const all = series.flatMap((s) => s.values).concat(reference === undefined ? [] : [reference]);
  const n = Math.max(...series.map((s) => s.values.length), 2);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 1e-3, hi + 1e-3];
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (i * w) / (n - 1);
  const y = (v: number) => PAD.top + h - ((v - lo) / (hi - lo)) * h;
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.values
          .map((v, i) => `${num(x(i))},${num(y(v))}`)
          .join(' ')}"><title>${escapeHtml(s.name)}</title></polyline>`,
    )
    .join('');
  const ref =
    reference === undefined
      ? ''
      : `<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${num(y(reference))}" y2="${num(y(reference))}" stroke="#bbb" stroke-dasharray="4 3"/>`;
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 130}" y="6" width="10" height="3" fill="${s.color}"/>` +
        `<text x="${PAD.left + 14 + i * 130}" y="11">${escapeHtml(s.name)}</text>`,
    )
    .join('');
  const xs = xLabels
    ? `<text x="${PAD.left}" y="${height - 6}">${escapeHtml(xLabels[0])}</text><text x="${PAD.left + w}" y="${height - 6}" text-anchor="end">${escapeHtml(xLabels[1])}</text>`
    : '';
  return svg(
    width,
    height,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${w}" height="${h}" fill="none" stroke="#ddd"/>${ref}${ticks(lo, hi, PAD.left, y, yFormat)}${lines}${legend}${xs}`,
  );
}

/** Observed up-rate against mean predicted probability per bin, on the diagonal of perfect calibration. */
export function calibrationChart(
  bins: readonly { meanPredicted: number | null; observedRate: number | null; count: number }[],
  size = 240,
): string {
  const w = size - PAD.left - PAD.right;
  const h = size - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + v * w;
  const y = (v: number) => PAD.top + h - v * h;
  const total = bins.reduce((a, b) => a + b.count, 0) || 1;
  const dots = bins
    .filter((b) => b.meanPredicted !== null && b.observedRate !== null)
    .map(
      (b) =>
        `<circle cx="${num(x(b.meanPredicted!))}" cy="${num(y(b.observedRate!))}" r="${num(2 + 8 * Math.sqrt(b.count / total))}" fill="#1f77b4" fill-opacity="0.6"><title>predicted ${b.meanPredicted!.toFixed(3)}, observed ${b.observedRate!.toFixed(3)}, ${b.count} rows</title></circle>`,
    )
    .join('');
  return svg(
    size,
    size,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${w}" height="${h}" fill="none" stroke="#ddd"/>` +
      `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>` +
      ticks(0, 1, PAD.left, y, (v) => v.toFixed(1)) +
      `<text x="${PAD.left + w / 2}" y="${size - 6}" text-anchor="middle">mean predicted P(up)</text>` +
      dots,
  );
}

/** Horizontal bars, largest first; negative values drawn left of the zero line. */
export function barChart(labels: readonly string[], values: readonly number[], width = 420): string {
  const order = values.map((_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number));
  const row = 16;
  const left = 150;
  const height = order.length * row + 8;
  const max = Math.max(...values.map(Math.abs), 1e-12);
  const scale = (width - left - 70) / (2 * max);
  const zero = left + (width - left - 70) / 2;
  const bars = order
    .map((i, k) => {
      const v = values[i] as number;
      const y0 = 4 + k * row;
      const len = Math.abs(v) * scale;
      return (
        `<text x="${left - 6}" y="${y0 + 11}" text-anchor="end">${escapeHtml(labels[i] ?? `feature ${i}`)}</text>` +
        `<rect x="${num(v >= 0 ? zero : zero - len)}" y="${y0 + 2}" width="${num(len)}" height="${row - 5}" fill="${v >= 0 ? '#2ca02c' : '#d62728'}"/>` +
        `<text x="${num(zero + (v >= 0 ? len : 0) + 4)}" y="${y0 + 11}">${v.toExponential(1)}</text>`
      );
    })
    .join('');
  return svg(width, height, `<line x1="${zero}" x2="${zero}" y1="0" y2="${height}" stroke="#888"/>${bars}`);
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="10" font-family="sans-serif">${body}</svg>`;
}
