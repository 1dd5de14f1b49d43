import type { BinEdges } from './binning';
import { createRng, treeSeed } from './prng';
import type { FlatTree, ResolvedParams } from './types';

/** Everything a tree is grown from; plain typed arrays so it can be posted to a worker. */
export interface BinnedTrainingSet {
  nRows: number;
  nFeatures: number;
  /** Feature-major bins, see binRows. */
  bins: Uint8Array;
  edges: BinEdges;
  y: Uint8Array;
}

interface PendingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  w0: number;
  w1: number;
  count: number;
}

interface Split {
  feature: number;
  bin: number;
  w0: number;
  w1: number;
  count: number;
}

/**
 * Grows tree `treeIndex` of a forest. Deterministic in (set, params, treeIndex) alone. Splits
 * maximise the weighted Gini decrease over histogram bins of `maxFeatures` sampled features.
 */
export function growTree(set: BinnedTrainingSet, params: ResolvedParams, treeIndex: number): FlatTree {
  const { nRows: n, nFeatures, bins, edges, y } = set;
  const rng = createRng(treeSeed(params.seed, treeIndex));
  const counts = new Uint32Array(n);
  if (params.bootstrap) {
    const draws = Math.max(1, Math.round(n * params.maxSamples));
    for (let d = 0; d < draws; d++) {
      const r = rng.int(n);
      counts[r] = (counts[r] as number) + 1;
    }
  } else counts.fill(1);

  const weight = new Float64Array(n);
  const idx = new Int32Array(n);
  const scratch = new Int32Array(n);
  let m = 0;
  let w0 = 0;
  let w1 = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i] as number;
    if (c === 0) continue;
    const w = c * (params.classWeight[y[i] as number] as number);
    weight[i] = w;
    idx[m++] = i;
    count += c;
    if (y[i]) w1 += w;
    else w0 += w;
  }

  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const left: number[] = [-1];
  const right: number[] = [-1];
  const value: number[] = [0];
  // Class weights interleaved per bin (hw[2b + y]) so the hot loop has no data-dependent branch.
  const hw = new Float64Array(512);
  const hc = new Float64Array(256);
  const order = Int32Array.from({ length: nFeatures }, (_, f) => f);

  const bestSplit = (node: PendingNode): Split | undefined => {
    const parentScore = (node.w0 * node.w0 + node.w1 * node.w1) / (node.w0 + node.w1);
    let bestScore = parentScore * (1 + 1e-12);
    let best: Split | undefined;
    for (let s = 0; s < params.maxFeatures; s++) {
      const pick = s + rng.int(nFeatures - s);
      const f = order[pick] as number;
      order[pick] = order[s] as number;
      order[s] = f;
      const nb = (edges[f] as Float32Array).length + 1;
      if (nb < 2) continue;
      hw.fill(0, 0, 2 * nb);
      hc.fill(0, 0, nb);
      const col = f * n;
      for (let j = node.start; j < node.end; j++) {
        const r = idx[j] as number;
        const b = bins[col + r] as number;
        const slot = (b << 1) | (y[r] as number);
        hw[slot] = (hw[slot] as number) + (weight[r] as number);
        hc[b] = (hc[b] as number) + (counts[r] as number);
      }
      let l0 = 0;
      let l1 = 0;
      let lc = 0;
      for (let k = 0; k < nb - 1; k++) {
        l0 += hw[2 * k] as number;
        l1 += hw[2 * k + 1] as number;
        lc += hc[k] as number;
        if (lc < params.minSamplesLeaf) continue;
        if (node.count - lc < params.minSamplesLeaf) break;
        const r0 = node.w0 - l0;
        const r1 = node.w1 - l1;
        if (l0 + l1 <= 0 || r0 + r1 <= 0) continue;
        const score = (l0 * l0 + l1 * l1) / (l0 + l1) + (r0 * r0 + r1 * r1) / (r0 + r1);
        if (score > bestScore) {
          bestScore = score;
          best = { feature: f, bin: k, w0: l0, w1: l1, count: lc };
        }
      }
    }
    return best;
  };

  const stack: PendingNode[] = [{ id: 0, start: 0, end: m, depth: 0, w0, w1, count }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    value[node.id] = node.w1 / (node.w0 + node.w1);
    const splittable =
      node.depth < params.maxDepth && node.count >= 2 * params.minSamplesLeaf && node.w0 > 0 && node.w1 > 0;
    const split = splittable ? bestSplit(node) : undefined;
    if (!split) continue;

    // Stable partition keeps idx ascending inside every node, so the histogram scans walk memory
    // forwards; with an in-place swap partition they degrade to random access and run ~3x slower.
    const col = split.feature * n;
    let i = node.start;
    let spilled = 0;
    for (let j = node.start; j < node.end; j++) {
      const r = idx[j] as number;
      if ((bins[col + r] as number) <= split.bin) idx[i++] = r;
      else scratch[spilled++] = r;
    }
    idx.set(scratch.subarray(0, spilled), i);
    const l = feature.length;
    feature[node.id] = split.feature;
    threshold[node.id] = (edges[split.feature] as Float32Array)[split.bin] as number;
    left[node.id] = l;
    right[node.id] = l + 1;
    feature.push(-1, -1);
    threshold.push(0, 0);
    left.push(-1, -1);
    right.push(-1, -1);
    value.push(0, 0);
    const depth = node.depth + 1;
    stack.push(
      {
        id: l + 1,
        start: i,
        end: node.end,
        depth,
        w0: node.w0 - split.w0,
        w1: node.w1 - split.w1,
        count: node.count - split.count,
      },
      { id: l, start: node.start, end: i, depth, w0: split.w0, w1: split.w1, count: split.count },
    );
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}
