/**
 * @jest-environment ./packages/model/test/onnx/ort-environment.js
 */
import { exportOnnx } from '@tickstream/model';
import { simulatedBars } from '../../src/training/bar-sources';
import { buildDataset } from '../../src/training/dataset';
import { PARITY_TOLERANCE, checkParity } from '../../src/training/parity';
import type { TrainOptions } from '../../src/training/pipeline';
import { trainModel } from '../../src/training/pipeline';
import { buildReport, registryMetrics, storedVerdict } from '../../src/training/report';

const source = {
  kind: 'sim',
  symbols: ['AAPL', 'MSFT', 'TSLA'],
  bars: 700,
  seed: 5,
  intervalMs: 5000,
  startTime: Date.UTC(2026, 0, 5, 14, 30),
} as const;
const options: TrainOptions = {
  horizon: 5,
  neutralBand: 0,
  folds: 4,
  forest: { nTrees: 12, maxDepth: 6, minSamplesLeaf: 10, seed: 9 },
  threads: 2,
  backtest: { costBps: 1 },
  bootstrap: 100,
};

async function trainOnce() {
  const dataset = buildDataset(simulatedBars(source));
  const model = await trainModel(dataset, options);
  return { model, report: buildReport(model, options, { ...source }, dataset.summary, PARITY_TOLERANCE) };
}

describe('training pipeline', () => {
  let first: Awaited<ReturnType<typeof trainOnce>>;

  beforeAll(async () => {
    first = await trainOnce();
  });

  it('is deterministic for a seed: the same report and the same ONNX bytes twice', async () => {
    const second = await trainOnce();
    expect(Buffer.from(second.model.onnx).equals(Buffer.from(first.model.onnx))).toBe(true);
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
    expect(first.report.version).toMatch(/^rf-\d{12}-[0-9a-f]{8}$/);
  });

  it('reports held-out metrics for the model and both baselines, pooled, per fold and per symbol', () => {
    const { evaluation, data, featureNames } = first.report;
    expect(featureNames).toHaveLength(13);
    expect(data.rows).toBeGreaterThan(2000);
    expect(evaluation.folds).toHaveLength(4);
    expect(Object.keys(evaluation.perSymbol)).toEqual(['AAPL', 'MSFT', 'TSLA']);
    for (const scores of [
      evaluation.pooled,
      ...evaluation.folds.map((f) => f.scores),
      ...Object.values(evaluation.perSymbol),
    ]) {
      expect(Object.keys(scores).sort()).toEqual(['majority', 'model', 'previousDirection']);
      for (const m of Object.values(scores)) {
        expect(m.n).toBeGreaterThan(0);
        for (const v of [m.accuracy, m.balancedAccuracy, m.brier]) expect(v).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(m.logLoss)).toBe(true);
      }
    }
    expect(evaluation.pooled.model.calibration).toHaveLength(10);
    expect(first.report.promotion.reasons.length).toBeGreaterThan(0);
  });

  it('backtests the held-out signal per fold against buy-and-hold and previous direction, with look-ahead checked', () => {
    const { backtest, lookAhead } = first.report.evaluation;
    expect(backtest!.folds.map((f) => f.fold)).toEqual(first.report.evaluation.folds.map((f) => f.fold));
    // 5 s bars: 252 sessions of 6.5 h.
    expect(backtest!.settings).toMatchObject({ costBps: 1, barsPerYear: 252 * 4680, mode: 'long-flat' });
    expect(Object.keys(backtest!.perSymbol)).toEqual(['AAPL', 'MSFT', 'TSLA']);
    for (const p of Object.values(backtest!.pooled)) {
      expect(p.bars).toBeGreaterThan(400);
      expect(p.maxDrawdown).toBeGreaterThanOrEqual(0);
    }
    expect(backtest!.pooled.buyAndHold.exposure).toBe(1);
    expect(lookAhead!.cuts).toHaveLength(3);
    expect(lookAhead!.rowsCompared).toBeGreaterThan(2000);
  });

  it('reports per-fold spreads and seeded bootstrap intervals, and the registry keeps what the rule reads', () => {
    const { uncertainty } = first.report.evaluation;
    expect(uncertainty.perFold.model.auc!.folds).toBe(4);
    expect(uncertainty.bootstrap).toMatchObject({ resamples: 100, seed: 9 });
    expect(uncertainty.bootstrap!.sharpe!.buyAndHold).not.toBeNull();
    const metrics = registryMetrics(first.report);
    expect(metrics.balancedAccuracyGainLower).toEqual({
      majority: uncertainty.bootstrap!.balancedAccuracyGain.majority.lower,
      previousDirection: uncertainty.bootstrap!.balancedAccuracyGain.previousDirection.lower,
    });
    expect(storedVerdict(JSON.parse(JSON.stringify(metrics)))).toEqual(first.report.promotion);
  });

  it('exports an ONNX model whose probabilities equal the TypeScript forest on held-out rows', () => {
    expect(first.report.parity.rows).toBeGreaterThan(1000);
    expect(first.report.parity.maxAbsDiff).toBeLessThanOrEqual(1e-6);
  });

  it('fails the parity check when the ONNX model is not the forest it claims to be', async () => {
    const other = { ...first.model.forest, trees: first.model.forest.trees.slice(0, 3) };
    const rows = new Float32Array(13 * 50).map((_, i) => Math.sin(i) * 0.02);
    await expect(
      checkParity(
        [{ forest: first.model.forest, rows, onnx: exportOnnx(other, { horizon: 5, modelVersion: 'x' }) }],
        5,
      ),
    ).rejects.toMatchObject({
      code: 'PARITY_FAILED',
    });
  });
});
