import { performance } from '../../src/backtest/performance';
import { DEFAULT_BACKTEST, simulate, unitCost } from '../../src/backtest/simulate';
import { evaluateWalkForward } from '../../src/eval/walk-forward';
import { momentumCloses, momentumEvaluation, panelFrom } from '../momentum-panel';

const costs = { costBps: 10, commissionPerShare: 0.01 };

describe('backtest arithmetic', () => {
  it('charges spread, slippage and commission per share on entry and exit, like a broker statement', () => {
    // $100 of equity buys 1 share at 100: $0.01 + 10 bps of $100 = $0.11; it sells at 110:
    // $0.01 + 10 bps of $110 = $0.12. $110 - $0.23 = $109.77: +9.77 %.
    const long = simulate([1, null], [100, 100, 110], [0, 1, 2], costs);
    expect(long.ret).toHaveLength(1);
    expect(long.ret[0]).toBeCloseTo(0.0977, 12);
    expect(long.traded).toEqual([2]);
    // Short 1 share at 100 ($0.11), cover at 90 ($0.01 + $0.09): $10 - $0.21 = +9.79 %.
    const short = simulate([-1, null], [100, 100, 90], [0, 1, 2], costs);
    expect(short.ret[0]).toBeCloseTo(0.0979, 12);
    expect(unitCost(50, costs)).toBeCloseTo(0.001 + 0.0002, 15);
  });

  it('fills a decision at the next bar open, never on the bar it was made on', () => {
    // The decision at bar 0 cannot earn bar 0 -> 1 (open 100 -> 200); it is filled at 200.
    const t = simulate([1, 1, 1], [100, 200, 100, 100], [0, 1, 2, 3], { costBps: 0, commissionPerShare: 0 });
    expect(t.ret).toEqual([-0.5, 0]);
    expect(t.hits).toEqual([0, 0]);
  });

  it('reads total and annual return, drawdown, turnover, exposure and hit rate off a track', () => {
    const t = simulate([1, 1, 0, 0], [100, 100, 110, 99, 99, 99], [0, 1, 2, 3, 4, 5], {
      costBps: 0,
      commissionPerShare: 0,
    });
    [0.1, -0.1, 0, 0].forEach((r, i) => expect(t.ret[i]).toBeCloseTo(r, 12));
    const p = performance(t, 4);
    expect(p.totalReturn).toBeCloseTo(-0.01, 12);
    expect(p.annualReturn).toBeCloseTo(-0.01, 12);
    expect(p.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(p.turnover).toBe(2); // bought once, sold once over 4 bars = a year of 4 bars
    expect(p.exposure).toBe(0.5);
    expect(p.hitRate).toBe(0.5);
  });
});

describe('backtest of the walk-forward signal', () => {
  it('earns on a series with known momentum, and so does the previous-direction rule', async () => {
    const report = await momentumEvaluation(600, { folds: 2, nTrees: 10, backtest: { costBps: 2 } });
    const bt = report.backtest!;
    expect(bt.folds).toHaveLength(2);
    expect(Object.keys(bt.perSymbol)).toEqual(['S0', 'S1']);
    expect(bt.pooled.model.totalReturn).toBeGreaterThan(0);
    expect(bt.pooled.model.sharpe).toBeGreaterThan(1);
    expect(bt.pooled.previousDirection.totalReturn).toBeGreaterThan(0);
    expect(bt.settings).toEqual({ ...DEFAULT_BACKTEST, costBps: 2 });
    for (const f of bt.folds) expect(f.equity.curves.model).toHaveLength(f.equity.time.length);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('refuses features that peek at a later bar, which the trades alone would show as easy money', async () => {
    const closes = momentumCloses(2, 400, 5, 0);
    const fit = async () => (rows: Float32Array) =>
      Float64Array.from({ length: rows.length / 13 }, (_, i) => ((rows[i * 13] as number) > 0 ? 0.9 : 0.1));
    const options = { horizon: 1, folds: 2, fit, backtest: { costBps: 2 } };

    // Unchecked, a next-bar return as a feature trades like a money machine on a random walk...
    const unchecked = await evaluateWalkForward(panelFrom(closes, { leak: true }), options);
    expect(unchecked.lookAhead).toBeNull();
    expect(unchecked.backtest!.pooled.model.hitRate).toBe(1);
    // ...so the evaluation rebuilds the rows from the bars up to a cut and compares.
    await expect(
      evaluateWalkForward(panelFrom(closes, { leak: true }), {
        ...options,
        pointInTime: (cut) => panelFrom(closes, { leak: true, cut }),
      }),
    ).rejects.toMatchObject({ code: 'LOOKAHEAD' });

    const honest = await evaluateWalkForward(panelFrom(closes), {
      ...options,
      pointInTime: (cut) => panelFrom(closes, { cut }),
    });
    expect(honest.lookAhead!.cuts).toHaveLength(2);
    expect(honest.lookAhead!.rowsCompared).toBeGreaterThan(400);
    expect(honest.backtest!.pooled.model.hitRate).toBeLessThan(0.6);
  });
});
