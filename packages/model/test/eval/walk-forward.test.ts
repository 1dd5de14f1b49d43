import { formatReport, promotionDecision } from '../../src/eval/report';
import { evaluateWalkForward } from '../../src/eval/walk-forward';
import { syntheticPanel } from '../synthetic-panel';

describe('walk-forward evaluation', () => {
  it('promotes a forest that beats both baselines on a learnable panel, and reports per fold and symbol', async () => {
    const report = await evaluateWalkForward(syntheticPanel(3, 1500, 1), {
      folds: 3,
      forest: { nTrees: 20, maxDepth: 5, minSamplesLeaf: 20, seed: 1 },
      bootstrap: { resamples: 200, seed: 1 },
    });
    expect(report.folds).toHaveLength(3);
    expect(Object.keys(report.perSymbol)).toEqual(['S0', 'S1', 'S2']);
    expect(report.folds.every((f) => f.scores.majority.balancedAccuracy === 0.5)).toBe(true);
    expect(report.pooled.model.balancedAccuracy).toBeGreaterThan(0.6);
    expect(promotionDecision(report)).toMatchObject({ promote: true, forced: false });
    // Held-out permutation importance finds the one informative feature; noise features are worth ~0.
    const imp = report.importance!.logLossIncrease;
    expect(imp).toHaveLength(13);
    expect(imp[0]).toBeGreaterThan(0.01);
    for (const v of imp.slice(1)) expect(Math.abs(v)).toBeLessThan((imp[0] as number) / 5);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(formatReport(report)).toContain('pooled');
  });

  it('refuses a model that learns nothing, unless forced', async () => {
    const panel = syntheticPanel(2, 800, 2);
    const report = await evaluateWalkForward(panel, {
      folds: 2,
      fit: async () => (rows) => new Float64Array(rows.length / 13).fill(0.5),
    });
    const decision = promotionDecision(report);
    expect(decision.promote).toBe(false);
    expect(decision.reasons.some((r) => r.includes('balanced accuracy'))).toBe(true);
    expect(promotionDecision(report, { force: true })).toMatchObject({ promote: true, forced: true });
  });
});
