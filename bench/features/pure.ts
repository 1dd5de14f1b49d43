import { FeatureEngine } from '@tickstream/indicators';
import type { FeatureBar } from '@tickstream/indicators';

export interface PureFeaturesBenchResult {
  /** Symbol-bar updates through FeatureEngine.onBar per second, all 13 features, one core. */
  updatesPerSec: number;
  symbols: number;
  bars: number;
  updates: number;
  elapsedMs: number;
  /** How many updates produced a feature vector (the rest were warm-up). */
  featureVectors: number;
}

const INTERVAL_MS = 60_000;
const START_MS = Date.UTC(2025, 0, 6, 14, 30);

/** Deterministic xorshift32 so every run measures the same bars. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

interface Columns {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function randomWalk(symbolIndex: number, bars: number): Columns {
  const rand = xorshift(0x9e3779b9 ^ Math.imul(symbolIndex + 1, 2654435761));
  const c: Columns = {
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  };
  let close = 20 + 480 * rand();
  for (let i = 0; i < bars; i++) {
    const open = close;
    close = open * Math.exp((rand() - 0.5) * 0.004);
    c.high[i] = Math.max(open, close) * (1 + rand() * 0.001);
    c.low[i] = Math.min(open, close) * (1 - rand() * 0.001);
    c.close[i] = close;
    c.volume[i] = Math.floor(rand() * 10_000);
  }
  return c;
}

/**
 * FeatureEngine throughput: `symbols` engines each fed `bars` pre-generated minute bars,
 * interleaved time-major as a live stream delivers them (so each update touches a different
 * engine's state, as in production). Bar generation is outside the timed region; the bars are
 * stored in columns and copied into one bar object per update, because a live bar arrives freshly
 * decoded (in cache) rather than as one of millions of objects spread over the heap.
 */
export async function benchPureFeatures(
  opts: { symbols?: number; bars?: number } = {},
): Promise<PureFeaturesBenchResult> {
  const symbols = opts.symbols ?? 2_000;
  const bars = opts.bars ?? 1_000;
  const series = Array.from({ length: symbols }, (_, s) => randomWalk(s, bars));
  const engines = Array.from({ length: symbols }, () => new FeatureEngine());
  const bar: FeatureBar = {
    start_time: 0,
    interval_ms: INTERVAL_MS,
    high: 0,
    low: 0,
    close: 0,
    volume: 0,
    is_update: false,
  };
  let featureVectors = 0;
  const started = performance.now();
  for (let i = 0; i < bars; i++) {
    bar.start_time = START_MS + i * INTERVAL_MS;
    for (let s = 0; s < symbols; s++) {
      const c = series[s]!;
      bar.high = c.high[i]!;
      bar.low = c.low[i]!;
      bar.close = c.close[i]!;
      bar.volume = c.volume[i]!;
      if (engines[s]!.onBar(bar).kind === 'features') featureVectors++;
    }
  }
  const elapsedMs = performance.now() - started;
  const updates = symbols * bars;
  return {
    updatesPerSec: Math.round(updates / (elapsedMs / 1000)),
    symbols,
    bars,
    updates,
    elapsedMs,
    featureVectors,
  };
}

export interface StateEncodingBenchResult {
  symbols: number;
  rounds: number;
  /** Mean CPU milliseconds to encode every symbol's engine once (one bar boundary). */
  jsonMsPerBoundary: number;
  binaryMsPerBoundary: number;
  jsonBytesPerSymbol: number;
  binaryBytesPerSymbol: number;
}

/**
 * The features service's snapshot step at a bar boundary: every symbol's warm engine encoded for
 * the changelog, as JSON text of its snapshot (the bare-library baseline: JSON.stringify, the
 * layout before the binary one) and in the binary layout. Alternated round by round, so both see
 * the same machine.
 */
export function benchStateEncoding(
  opts: { symbols?: number; rounds?: number } = {},
): StateEncodingBenchResult {
  const symbols = opts.symbols ?? 250;
  const rounds = opts.rounds ?? 200;
  const bars = 120;
  const engines = Array.from({ length: symbols }, (_, s) => {
    const c = randomWalk(s, bars);
    const engine = new FeatureEngine();
    for (let i = 0; i < bars; i++) {
      engine.onBar({
        start_time: START_MS + i * INTERVAL_MS,
        interval_ms: INTERVAL_MS,
        high: c.high[i]!,
        low: c.low[i]!,
        close: c.close[i]!,
        volume: c.volume[i]!,
        is_update: false,
      });
    }
    return engine;
  });
  let [jsonMs, binaryMs, jsonBytes, binaryBytes] = [0, 0, 0, 0];
  for (let round = 0; round < rounds; round++) {
    let t = performance.now();
    for (const e of engines) jsonBytes += Buffer.from(JSON.stringify(e.snapshot())).length;
    jsonMs += performance.now() - t;
    t = performance.now();
    for (const e of engines) binaryBytes += e.encode().length;
    binaryMs += performance.now() - t;
  }
  return {
    symbols,
    rounds,
    jsonMsPerBoundary: jsonMs / rounds,
    binaryMsPerBoundary: binaryMs / rounds,
    jsonBytesPerSymbol: jsonBytes / rounds / symbols,
    binaryBytesPerSymbol: binaryBytes / rounds / symbols,
  };
}
