export interface BackoffOptions {
  /** First retry delay. Default 500 ms. */
  initialMs: number;
  /** Cap of the exponential delay. Default 30 s. */
  maxMs: number;
  /** Floor after a 406: the other connection rarely goes away within seconds. Default 60 s. */
  connectionLimitMs: number;
  /** Fraction of the delay randomised away, so many clients do not reconnect in step. Default 0.5. */
  jitter: number;
}

/** Exponential back-off with jitter; reset after a connection authenticates. */
export class Backoff {
  private readonly opts: BackoffOptions;
  private attempt = 0;

  constructor(
    opts: Partial<BackoffOptions> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.opts = { initialMs: 500, maxMs: 30_000, connectionLimitMs: 60_000, jitter: 0.5, ...opts };
  }

  next(connectionLimited = false): number {
    const { initialMs, maxMs, connectionLimitMs, jitter } = this.opts;
    const exp = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt += 1;
    const delay = exp * (1 - jitter * this.random());
    return connectionLimited ? Math.max(delay, connectionLimitMs) : delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
