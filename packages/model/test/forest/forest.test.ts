import { predictProba, trainForest } from '../../src/forest/forest';
import { trainForestParallel } from '../../src/train/parallel';
import { syntheticSignal } from '../synthetic';

const N = 6000;
const train = syntheticSignal(N, 11);
const data = { ...train, nRows: N, nFeatures: 13 };
const params = { nTrees: 12, maxDepth: 6, minSamplesLeaf: 10, seed: 42 };

describe('random forest', () => {
  it('is deterministic for a seed: same trees and probabilities twice, on one thread and on two', async () => {
    const a = trainForest(data, params);
    const b = trainForest(data, params);
    const c = await trainForestParallel(data, params, { threads: 2 });
    expect(b.trees).toEqual(a.trees);
    expect(c.trees).toEqual(a.trees);
    const rows = syntheticSignal(500, 12).x;
    expect(predictProba(c, rows)).toEqual(predictProba(a, rows));
    expect(trainForest(data, { ...params, seed: 43 }).trees).not.toEqual(a.trees);
  });

  it('learns a noisy threshold on feature 0 well above chance on held-out rows', () => {
    const forest = trainForest(data, { ...params, nTrees: 30 });
    const test = syntheticSignal(4000, 99);
    const p = predictProba(forest, test.x);
    let hits = 0;
    p.forEach((pi, i) => (hits += Number((pi > 0.5 ? 1 : 0) === test.y[i])));
    // 10% label noise caps accuracy near 0.9.
    expect(hits / test.y.length).toBeGreaterThan(0.85);
  });

  it('keeps thresholds float32-exact and leaves within [0, 1]', () => {
    const forest = trainForest(data, params);
    for (const tree of forest.trees) {
      tree.threshold.forEach((t) => expect(Math.fround(t)).toBe(t));
      tree.value.forEach((v, i) => {
        if ((tree.feature[i] as number) < 0) expect(v >= 0 && v <= 1).toBe(true);
      });
    }
  });

  it('respects maxDepth: depth 0 gives single-leaf trees', () => {
    const stump = trainForest(data, { ...params, maxDepth: 0 });
    expect(stump.trees.every((t) => t.feature.length === 1)).toBe(true);
  });

  it('balanced class weights move the probabilities of a rare class towards 0.5', () => {
    const y = Uint8Array.from(train.y, (v, i) => (v && i % 4 === 0 ? 1 : 0));
    const rare = { ...data, y };
    const plain = predictProba(trainForest(rare, params), train.x);
    const balanced = predictProba(trainForest(rare, { ...params, classWeight: 'balanced' }), train.x);
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(balanced)).toBeGreaterThan(mean(plain) + 0.1);
  });

  it('refuses bad input with TRAINING_INVALID', () => {
    expect(() => trainForest({ ...data, y: new Uint8Array(N).fill(2) }, params)).toThrow(
      expect.objectContaining({ code: 'TRAINING_INVALID' }),
    );
    expect(() => trainForest(data, { ...params, maxBins: 300 })).toThrow(
      expect.objectContaining({ code: 'TRAINING_INVALID' }),
    );
  });
});
