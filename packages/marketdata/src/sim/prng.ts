/**
 * Seeded randomness for the simulator. Math.random cannot be seeded, and reproducible streams
 * are what make the simulator testable and its benchmarks comparable.
 */

import { mulberry32 } from '@tickstream/contracts';

/** FNV-1a: a stable 32-bit hash so each symbol gets its own seed from the global one. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  let spare: number | undefined;
  return {
    next,
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      // Box-Muller yields two independent normals; keeping the second halves the PRNG calls.
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    exponential(mean) {
      return -Math.log(1 - next()) * mean;
    },
  };
}
