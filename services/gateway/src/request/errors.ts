import type { FieldIssue } from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/platform';

// Errors the API's modules throw. They carry a stable code and nothing about HTTP: the one error
// middleware (error-handler.ts) decides the status from the class.

/** Input refused at the edge; `details` names each offending field. */
export class ValidationError extends TickstreamError {
  declare readonly details: FieldIssue[];

  constructor(message: string, details: FieldIssue[] = [], code = 'VALIDATION_FAILED') {
    super(code, message, { details });
  }
}

/** Missing, invalid or expired credentials. Codes: UNAUTHORIZED, TOKEN_INVALID, TOKEN_EXPIRED, REFRESH_REUSED, INVALID_CREDENTIALS. */
export class AuthError extends TickstreamError {}

/** Authenticated, but the role does not allow it. */
export class ForbiddenError extends TickstreamError {
  constructor(message = 'not allowed for your role') {
    super('FORBIDDEN', message);
  }
}

/** Absent, or belonging to someone else: the two are deliberately indistinguishable. */
export class NotFoundError extends TickstreamError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/** A body the API cannot read as sent: not JSON, or in a charset or content encoding it does not decode. */
export class UnsupportedMediaTypeError extends TickstreamError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** The request contradicts existing state (duplicate name, a per-user maximum reached, ...). */
export class ConflictError extends TickstreamError {}

export class RateLimitedError extends TickstreamError {
  readonly retryAfterSec: number;

  constructor(retryAfterSec: number, message = 'too many requests; retry later') {
    super('RATE_LIMITED', message, { retryable: true });
    this.retryAfterSec = Math.max(1, Math.ceil(retryAfterSec));
  }
}

/** A limit that must hold (login, orders) could not be checked because its store is down. */
export class RateLimitUnavailableError extends TickstreamError {
  constructor(cause: unknown) {
    super('RATE_LIMIT_UNAVAILABLE', 'rate limiting is unavailable; retry shortly', {
      retryable: true,
      cause,
    });
  }
}

/** A service the request depends on is down; 503 with Retry-After, the client may retry. */
export class DependencyUnavailableError extends TickstreamError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { retryable: true, cause });
  }
}
