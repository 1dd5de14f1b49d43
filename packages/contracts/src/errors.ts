/**
 * The one base error of Tickstream: a stable `code` callers can switch on, a `retryable` flag
 * consumers use to choose between retrying a record and dead-lettering it, the `cause`, and
 * optional `details` for the caller (which fields were wrong, say). Here rather than in the
 * platform so that pure packages (model, marketdata) share it without loading Kafka or a database.
 *
 * @example
 *   throw new TickstreamError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not in the registry`, { retryable: false });
 */
export class TickstreamError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: unknown;

  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; details?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }
}
