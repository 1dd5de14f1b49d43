import { randomUUID } from 'node:crypto';
import type { FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { exportOnnx, trainForest } from '@tickstream/model';
import type { ModelRegistry } from '../../src/registry';

/**
 * A small forest exported to ONNX and registered under a fresh version. Labels come from a
 * feature so that two seeds give visibly different models; the numbers do not matter here.
 */
export async function registerTestModel(
  registry: ModelRegistry,
  vectors: readonly FeatureVector[],
  seed: number,
): Promise<string> {
  const width = FEATURE_NAMES.length;
  const x = new Float32Array(vectors.length * width);
  vectors.forEach((v, i) => FEATURE_NAMES.forEach((n, j) => (x[i * width + j] = v[n])));
  const y = vectors.map((v) => (v.rsi14 > 0.5 ? 1 : 0));
  const forest = trainForest(
    { x, y, nRows: vectors.length, nFeatures: width },
    { nTrees: 5, maxDepth: 4, minSamplesLeaf: 5, seed },
  );
  const version = `test-${seed}-${randomUUID().slice(0, 8)}`;
  await registry.add({
    version,
    params: forest.params,
    featureNames: FEATURE_NAMES,
    featureSetVersion: 'fs1',
    horizon: 5,
    metrics: { promotion: { promote: true, reasons: ['test model'] } },
    onnx: exportOnnx(forest, { horizon: 5, modelVersion: version }),
  });
  return version;
}

/** Bytes that hash correctly in the registry but are no ONNX model. */
export async function registerGarbageModel(registry: ModelRegistry): Promise<string> {
  const version = `garbage-${randomUUID().slice(0, 8)}`;
  await registry.add({
    version,
    params: {},
    featureNames: FEATURE_NAMES,
    featureSetVersion: 'fs1',
    horizon: 5,
    metrics: {},
    onnx: new TextEncoder().encode('not an onnx model'),
  });
  return version;
}
