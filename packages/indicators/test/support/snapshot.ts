import { viaJson } from './random-walk';

interface Resumable {
  update(value: number): unknown;
  snapshot(): unknown;
}

/**
 * Feeds `values` before `cut` to `original`, restores a copy from its snapshot sent through
 * JSON, then feeds the rest to both: after each value, `read` of the copy must be bit-identical
 * (Object.is, as toEqual compares numbers) to `read` of the original.
 */
export function expectResumesIdentically<T extends Resumable>(
  original: T,
  restore: (snapshot: ReturnType<T['snapshot']>) => T,
  values: readonly number[],
  cut: number,
  read: (indicator: T) => unknown[],
): void {
  values.slice(0, cut).forEach((v) => original.update(v));
  const restored = restore(viaJson(original.snapshot() as ReturnType<T['snapshot']>));
  for (const v of values.slice(cut)) {
    original.update(v);
    restored.update(v);
    expect(read(restored)).toEqual(read(original));
  }
}
