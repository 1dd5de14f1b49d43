import type { FeatureRows } from './types';

/**
 * Split candidates per feature. `edges[f][k]` is a float32 value taken from the data; bin k holds
 * values <= edges[f][k] (and > edges[f][k-1]); the last bin, index edges[f].length, holds larger
 * values and NaN. A split "bin <= k" is therefore exactly "fround(x) <= edges[f][k]".
 */
export type BinEdges = Float32Array[];

/** Quantiles are estimated from at most this many rows; beyond that they barely move. */
const QUANTILE_SAMPLE_ROWS = 200_000;

export function computeBinEdges(x: FeatureRows, nRows: number, nFeatures: number, maxBins: number): BinEdges {
  const stride = Math.max(1, Math.floor(nRows / QUANTILE_SAMPLE_ROWS));
  const sample = new Float32Array(Math.ceil(nRows / stride));
  const edges: BinEdges = [];
  for (let f = 0; f < nFeatures; f++) {
    let m = 0;
    for (let i = 0; i < nRows; i += stride) {
      const v = x[i * nFeatures + f] as number;
      if (!Number.isNaN(v)) sample[m++] = v;
    }
    const sorted = sample.subarray(0, m).sort();
    const out: number[] = [];
    for (let q = 1; q < maxBins && m > 0; q++) {
      const v = sorted[Math.min(m - 1, Math.floor((q * m) / maxBins))] as number;
      // An edge at the maximum would send every row left: no split at all.
      if (v < (sorted[m - 1] as number) && (out.length === 0 || v > (out[out.length - 1] as number)))
        out.push(v);
    }
    edges.push(Float32Array.from(out));
  }
  return edges;
}

/** Index of the first edge >= v (binary search), i.e. the bin of v; NaN lands in the last bin. */
function binOf(edges: Float32Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  if (Number.isNaN(v)) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins in feature-major order (`bins[f * nRows + i]`) because split finding scans one feature of
 * many rows at a time. `out` lets the caller supply SharedArrayBuffer-backed memory for workers.
 */
export function binRows(
  x: FeatureRows,
  nRows: number,
  nFeatures: number,
  edges: BinEdges,
  out: Uint8Array = new Uint8Array(nRows * nFeatures),
): Uint8Array {
  for (let f = 0; f < nFeatures; f++) {
    const e = edges[f] as Float32Array;
    const base = f * nRows;
    for (let i = 0; i < nRows; i++) out[base + i] = binOf(e, Math.fround(x[i * nFeatures + f] as number));
  }
  return out;
}
