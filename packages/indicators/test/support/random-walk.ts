import { mulberry32 } from '@tickstream/contracts';
import type { FeatureBar } from '@tickstream/indicators';

export interface Series {
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** A geometric random walk of OHLCV bars around `start`, with occasional zero-volume bars. */
export function randomWalk(seed: number, length: number, start = 100): Series {
  // Seeded, so every test run sees the same series.
  const rand = mulberry32(seed);
  const s: Series = { high: [], low: [], close: [], volume: [] };
  let close = start;
  for (let i = 0; i < length; i++) {
    const open = close;
    close = open * Math.exp((rand() - 0.5) * 0.01);
    s.high.push(Math.max(open, close) * (1 + rand() * 0.003));
    s.low.push(Math.min(open, close) * (1 - rand() * 0.003));
    s.close.push(close);
    s.volume.push(rand() < 0.05 ? 0 : Math.floor(rand() * 50_000));
  }
  return s;
}

export const MINUTE = 60_000;
/** 2025-03-07 14:30 UTC (09:30 in New York), a Friday before a DST change. */
export const T0 = Date.UTC(2025, 2, 7, 14, 30);

export function toBars(s: Series, start = T0, interval = MINUTE): FeatureBar[] {
  return s.close.map((close, i) => ({
    start_time: start + i * interval,
    interval_ms: interval,
    high: s.high[i]!,
    low: s.low[i]!,
    close,
    volume: s.volume[i]!,
    is_update: false,
  }));
}

/** |a - b| <= tol * max(1, |a|, |b|): relative for large values, absolute near zero. */
export function expectClose(actual: number | undefined, expected: number | undefined, tol = 1e-9): void {
  expect(actual).toEqual(expect.any(Number));
  expect(expected).toEqual(expect.any(Number));
  const a = actual!;
  const b = expected!;
  const scale = Math.max(1, Math.abs(a), Math.abs(b));
  if (!(Math.abs(a - b) <= tol * scale))
    throw new Error(`expected ${a} to be within ${tol} (relative) of ${b}`);
}

/** Asserts `produced` (one entry per input, undefined while warming) ends with `reference` and warms exactly when it starts. */
export function expectAligned(produced: (number | undefined)[], reference: number[], tol = 1e-9): void {
  const warmup = produced.length - reference.length;
  expect(warmup).toBeGreaterThanOrEqual(0);
  produced.slice(0, warmup).forEach((v) => expect(v).toBeUndefined());
  reference.forEach((r, i) => expectClose(produced[warmup + i], r, tol));
}

/** JSON round trip, as a snapshot stored in Kafka or Redis would take. */
export function viaJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** technicalindicators rounds only when a precision is configured; pass this to be explicit. */
export const identity = (v: number): number => v;
