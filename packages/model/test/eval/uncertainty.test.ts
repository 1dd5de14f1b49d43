import { promotionDecision } from '../../src/eval/report';
import { evaluateWalkForward } from '../../src/eval/walk-forward';
import { syntheticPanel } from '../synthetic-panel';

const withOpens = (panel: ReturnType<typeof syntheticPanel>) => ({
  ...panel,
  open: Array.from(panel.close, (c, i) =>
    i > 0 && panel.symbol[i - 1] === panel.symbol[i] ? (panel.close[i - 1] as number) : c,
  ),
});

describe('uncertainty of the walk-forward evaluation', () => {
  const forest = { nTrees: 10, maxDepth: 4, minSamplesLeaf: 20, seed: 1 };

  it('gives per-fold spreads, pooled and per-fold AUC, and seeded block-bootstrap intervals', async () => {
    const panel = withOpens(syntheticPanel(2, 900, 3));
    const options = { folds: 3, forest, bootstrap: { resamples: 200, seed: 7 } };
    const ev = await evaluateWalkForward(panel, options);
    const u = ev.uncertainty;
    expect(u.perFold.model.accuracy).toMatchObject({ folds: 3 });
    expect(u.perFold.model.accuracy!.sd).toBeGreaterThan(0);
    expect(u.perFold.model.accuracy!.mean).toBeCloseTo(
      ev.folds.reduce((a, f) => a + f.scores.model.accuracy, 0) / 3,
      12,
    );
    expect(u.backtestSharpe!.model).toMatchObject({ folds: 3 });
    // The majority baseline is one constant per fold: AUC 0.5 in every fold, not pooled.
    expect(u.auc.majority.meanOfFolds).toBe(0.5);
    expect(u.auc.majority.pooled).not.toBe(0.5);
    expect(u.auc.model.pooled).toBe(ev.pooled.model.auc);

    const b = u.bootstrap!;
    expect(b).toMatchObject({ resamples: 200, seed: 7, level: 0.95, blockBars: 10 });
    // Estimates are the figures on the data as it is; intervals surround them.
    expect(b.accuracy.model.estimate).toBeCloseTo(ev.pooled.model.accuracy, 12);
    expect(b.auc.model!.estimate).toBeCloseTo(u.auc.model.meanOfFolds!, 12);
    expect(b.sharpe!.model!.estimate).toBeCloseTo(ev.backtest!.pooled.model.sharpe!, 9);
    expect(b.balancedAccuracyGain.majority.estimate).toBeCloseTo(
      ev.pooled.model.balancedAccuracy - ev.pooled.majority.balancedAccuracy,
      12,
    );
    for (const i of [b.accuracy.model, b.auc.model!, b.sharpe!.model!, b.balancedAccuracyGain.majority]) {
      expect(i.lower).toBeLessThan(i.estimate);
      expect(i.upper).toBeGreaterThan(i.estimate);
    }
    // A learnable panel: the gain is sure, and the rule passes.
    expect(b.balancedAccuracyGain.majority.lower).toBeGreaterThan(0);
    expect(promotionDecision(ev).promote).toBe(true);

    const again = await evaluateWalkForward(panel, options);
    expect(again.uncertainty).toEqual(u);
    const other = await evaluateWalkForward(panel, { ...options, bootstrap: { resamples: 200, seed: 8 } });
    expect(other.uncertainty.bootstrap!.accuracy.model).not.toEqual(b.accuracy.model);
  });

  it('refuses a model whose gain the bootstrap cannot tell from luck, and one with no bootstrap', async () => {
    const panel = withOpens(syntheticPanel(2, 600, 4));
    // A coin with a whisker of skill: noise plus a hair of the signal feature.
    const fit = async () => (rows: Float32Array) =>
      Float64Array.from(
        { length: rows.length / 13 },
        (_, i) => 0.5 + 0.001 * Math.sin(i * 7.1) + 1e-5 * (rows[i * 13] as number),
      );
    const ev = await evaluateWalkForward(panel, { folds: 2, fit, bootstrap: { resamples: 100, seed: 1 } });
    const gain = ev.uncertainty.bootstrap!.balancedAccuracyGain;
    expect(gain.majority.lower).toBeLessThanOrEqual(0);
    expect(promotionDecision(ev).reasons.join('\n')).toMatch(
      /95% lower bound of the balanced-accuracy gain over majority/,
    );

    const none = await evaluateWalkForward(panel, { folds: 2, fit, bootstrap: { resamples: 0 } });
    expect(none.uncertainty.bootstrap).toBeNull();
    expect(promotionDecision(none).reasons).toContain(
      'no bootstrap interval: how sure the gain is cannot be told (train with --bootstrap > 0)',
    );
  });
});
