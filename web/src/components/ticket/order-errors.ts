import { ApiError, describeError } from '../../api/errors';

/** Why POST /api/orders refused, in words a trader can act on. */
export function describeOrderError(err: unknown): string {
  if (!(err instanceof ApiError)) return describeError(err);
  if (err.status === 429) {
    const wait = err.retryAfterSec
      ? ` Wait ${err.retryAfterSec} s before the next order.`
      : ' Wait a moment before the next order.';
    return `Order rate limit reached: you are sending orders too fast.${wait}`;
  }
  if (err.status === 503) {
    const why = err.code === 'RATE_LIMIT_UNAVAILABLE' ? ' (limits cannot be checked)' : '';
    // The same client_order_id is sent again on retry, so retrying never doubles the order.
    return `Order entry is unavailable right now${why}. Try again in ${err.retryAfterSec ?? 5} s.`;
  }
  return `Order not sent: ${describeError(err)}`;
}

/**
 * Whether a failed POST /api/orders may still have placed the order: no answer at all, or a 5xx
 * (503: not acknowledged by Kafka in time). A 4xx answer says the order does not exist.
 */
export function outcomeUnknown(err: unknown): boolean {
  return !(err instanceof ApiError) || err.status >= 500 || err.status === 0;
}
