import { ApiError, describeError } from '../../api/errors';

/** Why POST /api/orders refused, in words a trader can act on. */
export function describeOrderError(err: unknown): string {
  if (!(err instanceof ApiError)) return describeError(err);
  if (err.status === 429) {
    const wait = err.retryAfterSec ? ` Wait ${err.retryAfterSec} s before the next order.` : ' Wait a moment before the next order.';
    return `Order rate limit reached: you are sending orders too fast.${wait}`;
  }
  if (err.status === 503) return 'Order entry is unavailable right now (limits cannot be checked). Try again in a few seconds.';
  if (err.status === 404 && err.code === 'NOT_FOUND') return 'Order entry is not available on this server yet.';
  return `Order not sent: ${describeError(err)}`;
}
