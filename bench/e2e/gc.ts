// Garbage collection of a service between two scrapes, from prom-client's default
// `nodejs_gc_duration_seconds` (every kind: minor, major, incremental, weak callbacks).
import type { Scrape } from '../support/metrics';

export interface GcTotals {
  collections: number;
  seconds: number;
}

function totals(s: Scrape): GcTotals {
  let collections = 0;
  let seconds = 0;
  for (const m of s.text.matchAll(/^nodejs_gc_duration_seconds_(count|sum)(?:\{[^}]*\})? (\S+)$/gm)) {
    if (m[1] === 'count') collections += Number(m[2]);
    else seconds += Number(m[2]);
  }
  return { collections, seconds };
}

/** Collections and their seconds in the window between the scrapes `before` and `after`. */
export function gcBetween(before: Scrape, after: Scrape): GcTotals {
  const a = totals(after);
  const b = totals(before);
  return { collections: a.collections - b.collections, seconds: a.seconds - b.seconds };
}
