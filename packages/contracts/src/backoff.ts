/** An exponential back-off schedule. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Cap of the doubling delay, ms. */
  maxMs: number;
  /** Fraction of each delay randomised away (0 to 1), so many clients do not retry in step. Default 0. */
  jitter?: number;
}

/**
 * The delay before retry `attempt` (0 for the first): `initialMs` doubled per attempt, capped at
 * `maxMs`, less up to `jitter` of it at random. Pure, so every package can share it: the
 * platform's clients, the services' reconnect loops and the market-data backfill.
 *
 * @example
 *   for (let attempt = 0; ; attempt++) {
 *     if (await tryOnce()) break;
 *     await sleep(backoffDelay(attempt, { initialMs: 250, maxMs: 2000 }));
 *   }
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
  return exponential * (1 - (policy.jitter ?? 0) * random());
}

/**
 * `backoffDelay` with the attempt counted, for a reconnect loop: `next()` before each retry,
 * `reset()` once a connection works again.
 *
 * @example
 *   const backoff = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0.5 });
 *   ws.on('close', () => setTimeout(connect, backoff.next()));
 *   ws.on('open', () => backoff.reset());
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next delay, ms; at least `floorMs` (a server that asked to be left alone for longer). */
  next(floorMs = 0): number {
    return Math.max(floorMs, backoffDelay(this.attempt++, this.policy, this.random));
  }

  reset(): void {
    this.attempt = 0;
  }
}
