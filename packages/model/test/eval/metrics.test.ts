import { binaryMetrics, calibrationTable, rocAuc } from '../../src/eval/metrics';

describe('metrics', () => {
  const y = [0, 0, 1, 1];
  const p = [0.1, 0.6, 0.4, 0.8];

  it('match hand-computed values', () => {
    const m = binaryMetrics(y, p);
    expect(m.accuracy).toBe(0.5);
    expect(m.balancedAccuracy).toBe(0.5);
    // Positive-negative pairs ranked right: (0.4>0.1), (0.8>0.1), (0.8>0.6) of 4.
    expect(m.auc).toBe(0.75);
    const ll = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4;
    expect(m.logLoss).toBeCloseTo(ll, 12);
    expect(m.brier).toBeCloseTo((0.01 + 0.36 + 0.36 + 0.04) / 4, 12);
    expect(m.positiveRate).toBe(0.5);
  });

  it('gives tied scores half credit in AUC and null with one class', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 1, 1], [0.3, 0.3, 0.9])).toBe(0.75);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNull();
  });

  it('clips log loss so a confident miss is finite', () => {
    expect(Number.isFinite(binaryMetrics([1], [0]).logLoss)).toBe(true);
  });

  it('bins calibration in tenths, 1.0 in the last bin', () => {
    const bins = calibrationTable([1, 0, 1], [0.05, 0.07, 1]);
    expect(bins[0]).toMatchObject({ lower: 0, upper: 0.1, count: 2, observedRate: 0.5 });
    expect(bins[0]?.meanPredicted).toBeCloseTo(0.06, 12);
    expect(bins[9]).toMatchObject({ count: 1, meanPredicted: 1, observedRate: 1 });
    expect(bins[5]).toMatchObject({ count: 0, meanPredicted: null });
  });
});
