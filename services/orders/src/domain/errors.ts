import { TickstreamError } from '@tickstream/platform';

/**
 * Errors thrown by the order domain.
 *
 * Refusals of a trader's order are not thrown: validation and risk checks return a
 * {@link Rejection} value, because a refused order is a normal outcome that becomes a REJECTED
 * event. Exceptions here mean the service itself did something impossible (a bug or corrupt
 * state), so none of them is retryable: replaying the same record would fail the same way.
 */
export class OrderError extends TickstreamError {}

/** An order was asked to move to a status its current status cannot reach. */
export class IllegalTransitionError extends OrderError {
  readonly orderId: string;
  readonly from: string;
  readonly to: string;

  constructor(orderId: string, from: string, to: string) {
    super('ILLEGAL_TRANSITION', `order ${orderId} cannot go from ${from} to ${to}`);
    this.orderId = orderId;
    this.from = from;
    this.to = to;
  }
}

/** A fill larger than what the order still has open. */
export class OverfillError extends OrderError {
  constructor(orderId: string, fillQty: number, remainingQty: number) {
    super('OVERFILL', `order ${orderId}: fill of ${fillQty} exceeds the remaining ${remainingQty}`);
  }
}

/** A snapshot that does not have the shape `SimOrderBook.snapshot()` writes. */
export class SnapshotError extends OrderError {
  constructor(message: string) {
    super('BAD_SNAPSHOT', message);
  }
}

/** A refused order: `code` is stable (clients switch on it), `message` is for the trader. */
export interface Rejection {
  readonly code: string;
  readonly message: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & Rejection);
