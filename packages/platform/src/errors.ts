/**
 * The one base error of the platform: a stable `code` callers can switch on, a `retryable` flag
 * consumers use to choose between retrying a record and dead-lettering it, and the `cause`.
 *
 * @example
 *   throw new TickstreamError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not in the registry`, { retryable: false });
 */
export class TickstreamError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}

/** A bad setting found at start-up; the message names the variable. */
export class ConfigError extends TickstreamError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** A record that cannot be decoded; it goes to the dead-letter topic, never retried. */
export class DecodeError extends TickstreamError {}

export function isRetryable(err: unknown): boolean {
  if (err instanceof TickstreamError) return err.retryable;
  // Errors of packages that cannot depend on the platform (the model's ModelError) carry the
  // same flag.
  if (
    err &&
    typeof err === 'object' &&
    'retryable' in err &&
    typeof (err as { retryable: unknown }).retryable === 'boolean'
  ) {
    return (err as { retryable: boolean }).retryable;
  }
  // KafkaJS marks its transient errors `retriable`; anything unknown is treated as transient so
  // a record is never dead-lettered because a dependency blinked.
  if (err && typeof err === 'object' && 'retriable' in err)
    return Boolean((err as { retriable: unknown }).retriable);
  return true;
}
