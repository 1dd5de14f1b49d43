import { useEffect, useState } from 'preact/hooks';
import type { Observable } from './observable';

/** Re-renders the component whenever `source` changes; returns its current value. */
export function useObservable<T extends object>(source: Observable<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => source.subscribe(() => setTick((n) => n + 1)), [source]);
  return source.value;
}
