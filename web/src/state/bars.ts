import type { Bar } from '@tickstream/contracts';

export type BarChange = 'reset' | 'append' | 'update';

/**
 * Merges one live bar into a symbol's history (oldest first). A bar of the latest interval
 * replaces the last, a newer one is appended, and a correction of an older bar is put in place
 * (the chart then redraws everything, as indicators after it change too).
 */
export function mergeBar(bars: Bar[], bar: Bar): BarChange | null {
  const last = bars[bars.length - 1];
  if (!last || bar.start_time > last.start_time) {
    bars.push(bar);
    return 'append';
  }
  if (bar.start_time === last.start_time) {
    bars[bars.length - 1] = bar;
    return 'update';
  }
  const i = bars.findIndex((b) => b.start_time === bar.start_time);
  if (i < 0) return null;
  bars[i] = bar;
  return 'reset';
}

/** At most this many bars per symbol in memory; the gateway's snapshot holds about as many. */
export const MAX_BARS = 1000;
