/**
 * @jest-environment ./packages/model/test/onnx/ort-environment.js
 */
import { FEATURE_NAMES } from '@tickstream/contracts';
import { Tensor } from 'onnxruntime-node';
import { predictProba, trainForest } from '../../src/forest/forest';
import { exportOnnx } from '../../src/onnx/export';
import { loadModel, scoreBatch } from '../../src/onnx/load';
import { syntheticSignal } from '../synthetic';

const train = syntheticSignal(5000, 5);
const forest = trainForest(
  { ...train, nRows: 5000, nFeatures: 13 },
  { nTrees: 40, maxDepth: 8, minSamplesLeaf: 5, seed: 3 },
);
const bytes = exportOnnx(forest, { horizon: 5, modelVersion: 'test-1' });

describe('ONNX export and loading', () => {
  it('scores like the TypeScript forest (max abs diff <= 1e-6); column 0 and label agree', async () => {
    const { session, metadata } = await loadModel(bytes);
    expect(metadata).toEqual({
      featureNames: [...FEATURE_NAMES],
      featureSetVersion: 'fs1',
      horizon: 5,
      modelVersion: 'test-1',
    });
    const test = syntheticSignal(3000, 6);
    const onnx = await scoreBatch(session, test.x, 3000);
    const ts = predictProba(forest, test.x);
    let maxDiff = 0;
    ts.forEach((p, i) => (maxDiff = Math.max(maxDiff, Math.abs(p - (onnx[i] as number)))));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);

    const out = await session.run({ features: new Tensor('float32', test.x, [3000, 13]) });
    const probs = out.probabilities?.data as Float32Array;
    const label = out.label?.data as BigInt64Array;
    ts.forEach((p, i) => {
      expect(Math.abs((probs[2 * i] as number) - (1 - p))).toBeLessThanOrEqual(1e-6);
      expect(Number(label[i])).toBe(p > 0.5 ? 1 : 0);
    });
    await session.release();
  });

  // A vector scored again (after a restart, a rebalance) lands in another batch; its score must
  // be the same bits. onnxruntime's tree ensemble sums trees in per-thread partials for small
  // batches of a large forest, so with more than one thread the order of the sum, and so the
  // last float32 bit, depended on the batch size.
  it('gives a row the same score whatever batch it is scored in', async () => {
    const big = trainForest(
      { ...train, nRows: 5000, nFeatures: 13 },
      { nTrees: 120, maxDepth: 6, minSamplesLeaf: 5, seed: 4 },
    );
    const { session } = await loadModel(exportOnnx(big, { horizon: 5, modelVersion: 'batch-test' }));
    const rows = syntheticSignal(200, 8).x;
    const together = await scoreBatch(session, rows, 200);
    const differing: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [alone] = await scoreBatch(session, rows.slice(i * 13, (i + 1) * 13), 1);
      if (alone !== together[i]) differing.push(i);
    }
    const [first, second] = [
      await scoreBatch(session, rows.slice(0, 7 * 13), 7),
      await scoreBatch(session, rows.slice(0, 60 * 13), 60),
    ];
    expect(differing).toEqual([]);
    expect([...first]).toEqual([...together.slice(0, 7)]);
    expect([...second]).toEqual([...together.slice(0, 60)]);
    await session.release();
  });

  it('refuses corrupt bytes with MODEL_INVALID', async () => {
    await expect(loadModel(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await expect(loadModel(bytes.subarray(0, bytes.length >> 1))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
    });
  });

  it('refuses a model with the wrong feature count or names with MODEL_FEATURE_MISMATCH', async () => {
    const narrow = syntheticSignal(500, 7, 0.1, 12);
    const twelve = trainForest({ ...narrow, nRows: 500, nFeatures: 12 }, { nTrees: 3, seed: 1 });
    const names12 = FEATURE_NAMES.slice(0, 12);
    await expect(
      loadModel(exportOnnx(twelve, { horizon: 5, modelVersion: 'x', featureNames: names12 })),
    ).rejects.toMatchObject({
      code: 'MODEL_FEATURE_MISMATCH',
    });
    const renamed = [...FEATURE_NAMES].reverse();
    await expect(
      loadModel(exportOnnx(forest, { horizon: 5, modelVersion: 'x', featureNames: renamed })),
    ).rejects.toMatchObject({
      code: 'MODEL_FEATURE_MISMATCH',
    });
  });
});
