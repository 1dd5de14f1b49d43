/** How a piece of work ended, or that it had not ended in time. */
export type Settled<T> =
  { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'timedOut' };

/**
 * Waits for `work` at most `ms`. A promise cannot be cancelled: after a timeout the work goes on,
 * and the caller decides what its late outcome means (see place.ts). Never rejects.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timedOut' }), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        (value): Settled<T> => ({ kind: 'done', value }),
        (error: unknown): Settled<T> => ({ kind: 'failed', error }),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
