import { createRng } from '../src/forest/prng';

/**
 * Rows with 13 uniform features in [-1, 1); the label is `x0 > 0.3`, flipped with probability
 * `noise`. A forest should find it, a coin flip cannot.
 */
export function syntheticSignal(
  nRows: number,
  seed: number,
  noise = 0.1,
  nFeatures = 13,
): { x: Float32Array; y: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < nFeatures; f++) x[i * nFeatures + f] = rng.next() * 2 - 1;
    const clean = (x[i * nFeatures] as number) > 0.3 ? 1 : 0;
    y[i] = rng.next() < noise ? 1 - clean : clean;
  }
  return { x, y };
}
