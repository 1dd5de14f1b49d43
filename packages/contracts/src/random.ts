/**
 * mulberry32: one uint32 of state, fast and statistically fine for simulation and bootstrap
 * draws (not for cryptography). It lives here so the simulator and the model share one copy;
 * Math.random cannot be seeded, and seeded streams are what make both reproducible.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
