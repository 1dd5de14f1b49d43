// Per-hop latency from the services' own Prometheus histograms: scrape /metrics before and after
// a window, subtract, and read quantiles the way histogram_quantile does (linear within a
// bucket), so the bench prints the same hops Grafana shows.

/** Cumulative bucket counts of one histogram (summed over the series that match), by `le`. */
export type Buckets = Map<number, number>;

export interface Scrape {
  text: string;
}

export async function scrape(port: number, path = '/metrics'): Promise<Scrape> {
  const text = await fetch(`http://127.0.0.1:${port}${path}`).then(
    (r) => r.text(),
    () => '',
  );
  return { text };
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Which series of a metric count: all of them unless a caller narrows by label. */
type LabelFilter = (labels: Record<string, string>) => boolean;

const everySeries: LabelFilter = () => true;

/** The samples of series `name` whose labels pass `match`, with their labels. */
function* samples(s: Scrape, name: string, match: LabelFilter) {
  for (const m of s.text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    const labels = parseLabels(m[1] ?? '');
    if (match(labels)) yield { labels, value: Number(m[2]) };
  }
}

/** Buckets of histogram `name` over the series whose labels pass `match`. */
export function buckets(s: Scrape, name: string, match = everySeries): Buckets {
  const out: Buckets = new Map();
  for (const { labels, value } of samples(s, `${name}_bucket`, match)) {
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    out.set(le, (out.get(le) ?? 0) + value);
  }
  return out;
}

/** Series `name` (a counter, a gauge, a histogram's `_count` or `_sum`) summed over those whose labels pass `match`. */
export function total(s: Scrape, name: string, match = everySeries): number {
  let sum = 0;
  for (const { value } of samples(s, name, match)) sum += value;
  return sum;
}

export interface GcTotals {
  collections: number;
  seconds: number;
}

/**
 * Garbage collection of a service between two scrapes, from prom-client's default
 * `nodejs_gc_duration_seconds` (every kind: minor, major, incremental, weak callbacks).
 */
export function gcBetween(before: Scrape, after: Scrape): GcTotals {
  const between = (series: string) => total(after, series) - total(before, series);
  return {
    collections: between('nodejs_gc_duration_seconds_count'),
    seconds: between('nodejs_gc_duration_seconds_sum'),
  };
}

/** What was observed between two scrapes. */
export function delta(after: Buckets, before: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [le, n] of after) out.set(le, n - (before.get(le) ?? 0));
  return out;
}

export function count(b: Buckets): number {
  return b.get(Infinity) ?? 0;
}

/** The q-quantile (0..1) in the histogram's unit, interpolated within its bucket; NaN when empty. */
export function quantile(b: Buckets, q: number): number {
  const les = [...b.keys()].sort((x, y) => x - y);
  const total = count(b);
  if (total <= 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const le of les) {
    const c = b.get(le)!;
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      const inBucket = c - prevCount;
      return inBucket <= 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}

export interface Hop {
  hop: string;
  /** Observations in the window. */
  n: number;
  p50Ms: number;
  p99Ms: number;
}

/** A hop from a seconds histogram between two scrapes. */
/** The quote and trade series of a histogram by event (gateway_tick_to_emit_seconds): the ticks' own age. */
export const isTick = (labels: Record<string, string>): boolean =>
  labels.event === 'quote' || labels.event === 'trade';

export function hopOf(
  hop: string,
  before: Scrape,
  after: Scrape,
  name: string,
  match?: (labels: Record<string, string>) => boolean,
): Hop {
  const d = delta(buckets(after, name, match), buckets(before, name, match));
  return { hop, n: count(d), p50Ms: quantile(d, 0.5) * 1000, p99Ms: quantile(d, 0.99) * 1000 };
}

/** A hop from exact samples in milliseconds (sorted or not). */
export function hopOfSamples(hop: string, samples: readonly number[]): Hop {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
  return { hop, n: s.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Rows for printTable: hop, n, p50 ms, p99 ms (one decimal below 10 ms). */
export function hopRows(hops: readonly Hop[]): (string | number)[][] {
  const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
  return [['hop', 'n', 'p50 ms', 'p99 ms'], ...hops.map((h) => [h.hop, h.n, ms(h.p50Ms), ms(h.p99Ms)])];
}
