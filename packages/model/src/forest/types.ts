/** Row-major feature rows: row i, feature f is `x[i * nFeatures + f]`. */
export type FeatureRows = Float32Array | Float64Array;

/** What the trainer needs: rows plus a 0/1 label per row (1 = the class whose probability we predict). */
export interface TrainingData {
  x: FeatureRows;
  y: ArrayLike<number>;
  nRows: number;
  nFeatures: number;
}

export interface ForestParams {
  nTrees: number;
  /** Root is depth 0; a node at maxDepth is always a leaf. */
  maxDepth: number;
  /** Counted in (bootstrap) samples, as scikit-learn does. */
  minSamplesLeaf: number;
  /** Features tried per split: 'sqrt' = max(1, floor(sqrt(nFeatures))), or a count. */
  maxFeatures: 'sqrt' | 'all' | number;
  bootstrap: boolean;
  /** Bootstrap draws per tree as a fraction of the rows. */
  maxSamples: number;
  /** 'balanced' weighs class c by n / (2 * n_c) so a rare "up" counts as much as a common "down". */
  classWeight: 'none' | 'balanced' | readonly [number, number];
  /** Histogram bins per feature (2..256): quantile edges computed once from the training rows. */
  maxBins: number;
  seed: number;
}

export const DEFAULT_FOREST_PARAMS: Readonly<ForestParams> = Object.freeze({
  nTrees: 100,
  maxDepth: 10,
  minSamplesLeaf: 20,
  maxFeatures: 'sqrt',
  bootstrap: true,
  maxSamples: 1,
  classWeight: 'none',
  maxBins: 64,
  seed: 1,
});

/**
 * One tree as parallel flat arrays, node 0 the root. `feature[i] < 0` marks a leaf. A branch
 * sends a row left when `fround(x[feature]) <= threshold` (ONNX BRANCH_LEQ on float32), NaN goes
 * right. `value[i]` is, at a leaf, the class-weighted share of class 1 among its samples.
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

/**
 * A binary classifier: P(class 1) is the mean of the trees' leaf values, each leaf value divided
 * by nTrees and summed in float32, in tree order — exactly what the exported ONNX ensemble does.
 */
export interface Forest {
  nFeatures: number;
  params: Readonly<ForestParams>;
  trees: FlatTree[];
}

/** Parameters after defaults and validation, with maxFeatures turned into a count. */
export interface ResolvedParams extends Omit<ForestParams, 'maxFeatures' | 'classWeight'> {
  maxFeatures: number;
  classWeight: readonly [number, number];
}
