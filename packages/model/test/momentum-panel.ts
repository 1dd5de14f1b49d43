import type { EvaluationReport, Panel, WalkForwardOptions } from '../src/eval/walk-forward';
import { evaluateWalkForward } from '../src/eval/walk-forward';
import { createRng } from '../src/forest/prng';

/**
 * Closes of `symbols` series whose bar returns follow r_t = phi * r_(t-1) + noise (phi > 0:
 * momentum), opens at the previous close, one bar per time step.
 */
export function momentumCloses(
  symbols: number,
  bars: number,
  seed: number,
  phi = 0.5,
): Map<string, number[]> {
  const rng = createRng(seed);
  const out = new Map<string, number[]>();
  for (let s = 0; s < symbols; s++) {
    const close: number[] = [];
    let price = 100;
    let r = 0;
    for (let t = 0; t < bars; t++) {
      r = phi * r + 0.01 * (rng.next() - 0.5);
      close.push((price *= 1 + r));
    }
    out.set(`S${s}`, close);
  }
  return out;
}

/**
 * Rows from closes up to `cut`: feature 0 is the last bar's return (known at the bar), or with
 * `leak` the NEXT bar's return, which a row can only have while a later bar exists; the other
 * 12 features are 0.
 */
export function panelFrom(closes: Map<string, number[]>, opts: { leak?: boolean; cut?: number } = {}): Panel {
  const { leak = false, cut = Infinity } = opts;
  const x: number[] = [];
  const symbol: string[] = [];
  const time: number[] = [];
  const close: number[] = [];
  const open: number[] = [];
  for (const [s, all] of closes) {
    const c = all.slice(0, Math.min(all.length, cut + 1));
    for (let t = 1; t < c.length; t++) {
      if (leak && t + 1 >= c.length) continue;
      const f0 = leak
        ? (c[t + 1] as number) / (c[t] as number) - 1
        : (c[t] as number) / (c[t - 1] as number) - 1;
      x.push(f0, ...new Array<number>(12).fill(0));
      symbol.push(s);
      time.push(t);
      close.push(c[t] as number);
      open.push(c[t - 1] as number);
    }
  }
  return { x: Float32Array.from(x), nFeatures: 13, symbol, time, close, open };
}

/**
 * A walk-forward evaluation of two momentum series (seed 4) at a horizon of one bar, with a small
 * shallow forest: quick, and enough to find the momentum. `opts` may add a backtest or bootstrap.
 */
export function momentumEvaluation(
  bars: number,
  opts: { folds: number; nTrees: number } & Partial<Pick<WalkForwardOptions, 'backtest' | 'bootstrap'>>,
): Promise<EvaluationReport> {
  const { folds, nTrees, ...rest } = opts;
  return evaluateWalkForward(panelFrom(momentumCloses(2, bars, 4)), {
    horizon: 1,
    folds,
    forest: { nTrees, maxDepth: 3, minSamplesLeaf: 20, seed: 1 },
    ...rest,
  });
}
