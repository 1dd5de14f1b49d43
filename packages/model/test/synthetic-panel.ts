import type { Panel } from '../src/eval/walk-forward';
import { createRng } from '../src/forest/prng';

/**
 * Bars of `symbols` random walks whose next-`horizon` drift is set by feature 0 (known at the
 * bar), so a model can beat both baselines; the other 12 features are noise.
 */
export function syntheticPanel(symbols: number, bars: number, seed: number, horizon = 5): Panel {
  const rng = createRng(seed);
  const n = symbols * bars;
  const x = new Float32Array(n * 13);
  const symbol: string[] = [];
  const time: number[] = [];
  const close: number[] = [];
  for (let s = 0; s < symbols; s++) {
    const signal = Float64Array.from({ length: bars }, () => rng.next() * 2 - 1);
    let price = 100;
    for (let t = 0; t < bars; t++) {
      const i = s * bars + t;
      for (let f = 1; f < 13; f++) x[i * 13 + f] = rng.next();
      x[i * 13] = signal[t] as number;
      let drift = 0;
      for (let k = 1; k <= horizon && k <= t; k++) drift += signal[t - k] as number;
      price *= 1 + (0.002 * drift) / horizon + 0.002 * (rng.next() - 0.5);
      symbol.push(`S${s}`);
      time.push(t);
      close.push(price);
    }
  }
  return { x, nFeatures: 13, symbol, time, close };
}
