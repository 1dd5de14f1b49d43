import { TickstreamError } from '@tickstream/contracts';

export { TickstreamError };

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
  // KafkaJS marks its transient errors `retriable`; anything unknown is treated as transient so
  // a record is never dead-lettered because a dependency blinked.
  if (err && typeof err === 'object' && 'retriable' in err)
    return Boolean((err as { retriable: unknown }).retriable);
  return true;
}
