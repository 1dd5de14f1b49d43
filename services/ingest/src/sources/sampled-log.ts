import type { ErrorHook, SourceLogger } from './types';

export interface RejectCounter {
  /** Counts a rejected input, reports it to the hook and logs the first `burst`, then every `every`-th. */
  reject(code: string, message: string, detail?: object): void;
  counts(): Readonly<Record<string, number>>;
}

/**
 * A hostile or broken feed can send thousands of bad frames a second; logging each would drown
 * the log and the disk, so only a sample is logged while every one is counted.
 */
export function createRejectCounter(
  logger: SourceLogger,
  onError: ErrorHook | undefined,
  every = 100,
  burst = 1,
): RejectCounter {
  const counts: Record<string, number> = {};
  return {
    reject(code, message, detail) {
      const n = (counts[code] ?? 0) + 1;
      counts[code] = n;
      onError?.(code, message);
      if (n <= burst || n % every === 0) logger.warn({ ...detail, code, occurrences: n }, message);
    },
    counts: () => ({ ...counts }),
  };
}
