import { ModelError } from '../errors';
import { binRows, computeBinEdges } from './binning';
import { growTree, type BinnedTrainingSet } from './tree';
import { DEFAULT_FOREST_PARAMS } from './types';
import type { FeatureRows, Forest, ForestParams, ResolvedParams, TrainingData } from './types';

function invalid(message: string): ModelError {
  return new ModelError('TRAINING_INVALID', message);
}

/** Fills defaults, validates, and fixes what depends on the data (feature count, class balance). */
export function resolveParams(data: TrainingData, params: Partial<ForestParams> = {}): ResolvedParams {
  const p = { ...DEFAULT_FOREST_PARAMS, ...params };
  const { nRows, nFeatures, x, y } = data;
  if (!Number.isInteger(nRows) || nRows < 1 || !Number.isInteger(nFeatures) || nFeatures < 1)
    throw invalid(`need at least one row and one feature, got ${nRows} x ${nFeatures}`);
  if (x.length !== nRows * nFeatures)
    throw invalid(`x has ${x.length} values, expected ${nRows} x ${nFeatures}`);
  if (y.length !== nRows) throw invalid(`y has ${y.length} labels for ${nRows} rows`);
  if (!Number.isInteger(p.nTrees) || p.nTrees < 1)
    throw invalid(`nTrees must be a positive integer, got ${p.nTrees}`);
  if (!Number.isInteger(p.maxDepth) || p.maxDepth < 0)
    throw invalid(`maxDepth must be >= 0, got ${p.maxDepth}`);
  if (!Number.isInteger(p.minSamplesLeaf) || p.minSamplesLeaf < 1)
    throw invalid(`minSamplesLeaf must be >= 1`);
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 256)
    throw invalid(`maxBins must be in 2..256`);
  if (!(p.maxSamples > 0 && p.maxSamples <= 1))
    throw invalid(`maxSamples must be in (0, 1], got ${p.maxSamples}`);

  const maxFeatures =
    p.maxFeatures === 'sqrt'
      ? Math.max(1, Math.floor(Math.sqrt(nFeatures)))
      : p.maxFeatures === 'all'
        ? nFeatures
        : p.maxFeatures;
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1 || maxFeatures > nFeatures)
    throw invalid(`maxFeatures must be in 1..${nFeatures}, got ${String(p.maxFeatures)}`);

  let positives = 0;
  for (let i = 0; i < nRows; i++) {
    const label = y[i];
    if (label !== 0 && label !== 1) throw invalid(`label at row ${i} is ${String(label)}, expected 0 or 1`);
    positives += label;
  }
  let classWeight: readonly [number, number];
  if (p.classWeight === 'none') classWeight = [1, 1];
  else if (p.classWeight === 'balanced') {
    const negatives = nRows - positives;
    classWeight = [negatives ? nRows / (2 * negatives) : 1, positives ? nRows / (2 * positives) : 1];
  } else classWeight = p.classWeight;
  if (!classWeight.every((w) => Number.isFinite(w) && w > 0)) throw invalid(`class weights must be positive`);

  return { ...p, maxFeatures, classWeight };
}

/**
 * Bins the rows once for all trees. `shared` puts the bins in a SharedArrayBuffer so worker
 * threads read them without a copy.
 */
export function prepareTrainingSet(
  data: TrainingData,
  params: ResolvedParams,
  shared = false,
): BinnedTrainingSet {
  const { x, nRows, nFeatures } = data;
  const edges = computeBinEdges(x, nRows, nFeatures, params.maxBins);
  const size = nRows * nFeatures;
  const bins = binRows(
    x,
    nRows,
    nFeatures,
    edges,
    shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size),
  );
  return { nRows, nFeatures, bins, edges, y: Uint8Array.from(data.y) };
}

/**
 * Trains a forest on this thread. For both cores use trainForestParallel, which yields the same
 * forest.
 *
 * @example
 *   const forest = trainForest({ x, y, nRows, nFeatures: 13 }, { nTrees: 200, seed: 7 });
 *   const pUp = predictProba(forest, rows);
 */
export function trainForest(data: TrainingData, params: Partial<ForestParams> = {}): Forest {
  const resolved = resolveParams(data, params);
  const set = prepareTrainingSet(data, resolved);
  const trees = Array.from({ length: resolved.nTrees }, (_, t) => growTree(set, resolved, t));
  return { nFeatures: data.nFeatures, params: publicParams(params), trees };
}

/** The parameters as given plus defaults: what a reader of the forest wants to see. */
export function publicParams(params: Partial<ForestParams>): Readonly<ForestParams> {
  return Object.freeze({ ...DEFAULT_FOREST_PARAMS, ...params });
}

/** A leaf's share of the ensemble average, as the float32 the ONNX model stores. */
export function leafWeight(value: number, nTrees: number): number {
  return Math.fround(value / nTrees);
}

/**
 * P(class 1) for each row of `rows` (row-major, forest.nFeatures wide). Inputs are compared as
 * float32 and the sum runs in float32, so a Float32Array gives the ONNX model's numbers.
 */
export function predictProba(forest: Forest, rows: FeatureRows): Float64Array {
  const f = forest.nFeatures;
  if (rows.length % f !== 0) throw invalid(`rows has ${rows.length} values, not a multiple of ${f} features`);
  const n = rows.length / f;
  const out = new Float64Array(n);
  const nTrees = forest.trees.length;
  for (const tree of forest.trees) {
    const { feature, threshold, left, right, value } = tree;
    const weight = value.map((v) => leafWeight(v, nTrees));
    for (let i = 0; i < n; i++) {
      let node = 0;
      for (let feat = feature[0] as number; feat >= 0; feat = feature[node] as number) {
        node = (
          Math.fround(rows[i * f + feat] as number) <= (threshold[node] as number) ? left[node] : right[node]
        ) as number;
      }
      out[i] = Math.fround((out[i] as number) + (weight[node] as number));
    }
  }
  return out;
}
