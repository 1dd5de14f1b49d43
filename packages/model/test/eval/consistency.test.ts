import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluationInconsistencies } from '../../src/eval/consistency';
import { decidePromotion, gainLowerBounds, promotionDecision } from '../../src/eval/report';
import type { EvaluationReport } from '../../src/eval/walk-forward';
import { evaluateWalkForward } from '../../src/eval/walk-forward';
import { syntheticPanel } from '../synthetic-panel';

// The shipped default model's evaluation: real numbers, written by training (fails the rule).
const shipped = (): EvaluationReport =>
  (
    JSON.parse(readFileSync(path.resolve(__dirname, '../../../../models/default/report.json'), 'utf8')) as {
      evaluation: EvaluationReport;
    }
  ).evaluation;

const BOOTSTRAP_PROBLEMS = [
  'bootstrap: the balanced-accuracy gain over majority is not the pooled difference with an ordered interval',
  'bootstrap: the balanced-accuracy gain over previousDirection is not the pooled difference with an ordered interval',
];

describe('evaluationInconsistencies', () => {
  it('finds nothing wrong in an evaluation as training wrote it', () => {
    expect(evaluationInconsistencies(shipped())).toEqual([]);
  });

  it('finds nothing wrong in fresh walk-forward evaluations', async () => {
    for (const seed of [1, 2, 3]) {
      const ev = await evaluateWalkForward(syntheticPanel(2, 600, seed), {
        folds: 3,
        forest: { nTrees: 5, maxDepth: 4, minSamplesLeaf: 10, seed },
      });
      expect(evaluationInconsistencies(JSON.parse(JSON.stringify(ev)) as EvaluationReport)).toEqual([]);
    }
  });

  it.each([
    ['logLoss', 0.69],
    ['accuracy', 0.6],
    ['brier', 0.2],
    ['positiveRate', 0.4],
  ] as const)('catches a pooled %s edited alone', (figure, value) => {
    const ev = shipped();
    ev.pooled.model[figure] = value;
    expect(evaluationInconsistencies(ev)).toEqual([
      expect.stringMatching(
        new RegExp(`^model: pooled ${figure} ${value} is not the folds' row-weighted mean`),
      ),
    ]);
  });

  it('catches a pooled balanced accuracy edited alone, from the class counts the folds imply', () => {
    const ev = shipped();
    ev.pooled.model.balancedAccuracy = 0.55;
    expect(evaluationInconsistencies(ev)).toEqual([
      expect.stringMatching(
        /^model: pooled balancedAccuracy 0.55 is not the 0.50670\d+ the folds' counts give$/,
      ),
      // The bootstrap's gains (which the rule reads) are the pooled differences: they no longer are.
      'bootstrap: the balanced-accuracy gain over majority is not the pooled difference with an ordered interval',
      'bootstrap: the balanced-accuracy gain over previousDirection is not the pooled difference with an ordered interval',
    ]);
    const fold = shipped();
    fold.folds[0]!.scores.model.balancedAccuracy += 0.01;
    expect(evaluationInconsistencies(fold)).toEqual([
      "model: the folds' accuracy, balanced accuracy and positive rate imply fractional counts",
    ]);
  });

  it('catches rows that do not add up, non-numbers, rates out of range and missing folds', () => {
    const rows = shipped();
    rows.pooled.majority.n += 1;
    expect(evaluationInconsistencies(rows)[0]).toMatch(/^majority: pooled n \d+ and the folds' \d+ rows/);
    const text = shipped();
    (text.pooled.model as unknown as Record<string, unknown>).balancedAccuracy = '0.9';
    expect(evaluationInconsistencies(text)).toEqual([
      'model: balancedAccuracy not a finite number everywhere',
      'bootstrap: the balanced-accuracy gain over majority is not the pooled difference with an ordered interval',
      'bootstrap: the balanced-accuracy gain over previousDirection is not the pooled difference with an ordered interval',
    ]);
    const range = shipped();
    range.pooled.model.balancedAccuracy = 1.5;
    expect(evaluationInconsistencies(range)).toContain('model: pooled balancedAccuracy outside [0, 1]');
    expect(evaluationInconsistencies({ ...shipped(), folds: [] })).toEqual(['the evaluation has no folds']);
    const gain = shipped();
    gain.uncertainty.bootstrap!.balancedAccuracyGain.majority.estimate = 0.02;
    gain.uncertainty.bootstrap!.balancedAccuracyGain.previousDirection.lower = 0.5;
    expect(evaluationInconsistencies(gain)).toEqual(BOOTSTRAP_PROBLEMS);
  });
});

describe('decidePromotion', () => {
  it('gives the verdict promotionDecision gives, from the pooled numbers and the bootstrap bounds alone', () => {
    const ev = shipped();
    expect(decidePromotion(ev.pooled, gainLowerBounds(ev))).toEqual(promotionDecision(ev));
    expect(promotionDecision(ev).reasons).toContain(
      'the 95% lower bound of the balanced-accuracy gain over majority is -0.0017, not above 0',
    );
    const better = { ...ev.pooled, model: { ...ev.pooled.model, logLoss: 0.69 } };
    expect(decidePromotion(better, { majority: 0.001, previousDirection: 0.002 })).toEqual({
      promote: true,
      forced: false,
      reasons: [
        'beats every baseline on balanced accuracy and log loss, with the 95% lower bound of each balanced-accuracy gain above 0',
      ],
    });
  });

  it('fails when a gain could be luck (lower bound <= 0) or nobody measured how sure it is', () => {
    const ev = shipped();
    const better = { ...ev.pooled, model: { ...ev.pooled.model, logLoss: 0.69 } };
    expect(decidePromotion(better, { majority: 0.01, previousDirection: -0.001 })).toMatchObject({
      promote: false,
      reasons: [
        'the 95% lower bound of the balanced-accuracy gain over previousDirection is -0.0010, not above 0',
      ],
    });
    expect(decidePromotion(better, null).reasons).toEqual([
      'no bootstrap interval: how sure the gain is cannot be told (train with --bootstrap > 0)',
    ]);
  });

  it('fails on a missing or non-numeric figure', () => {
    const ev = shipped();
    const missing = { ...ev.pooled, model: { balancedAccuracy: 0.9 } } as unknown as typeof ev.pooled;
    expect(decidePromotion(missing, { majority: 1, previousDirection: 1 }).promote).toBe(false);
  });
});
