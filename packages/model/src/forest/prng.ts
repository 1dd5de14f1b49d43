import { mulberry32 } from '@tickstream/contracts';

/** A seeded source of uniform numbers; everything random in training draws from one of these. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return { next, int: (n) => Math.floor(next() * n) };
}

/**
 * Each tree's stream depends only on (seed, treeIndex), so a forest is the same whichever worker
 * grew which tree. The murmur3 finaliser keeps neighbouring indices from getting related streams.
 */
export function treeSeed(seed: number, treeIndex: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(treeIndex + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
