import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { TickstreamError } from '@tickstream/platform';
import {
  AuthError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  RateLimitUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
  DependencyUnavailableError,
} from '../request';

function statusOf(err: TickstreamError): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof AuthError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof UnsupportedMediaTypeError) return 415;
  if (err instanceof RateLimitedError) return 429;
  if (err instanceof RateLimitUnavailableError || err instanceof DependencyUnavailableError) return 503;
  return 500;
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  'charset.unsupported': 'the body must be UTF-8 (Content-Type: application/json; charset=utf-8)',
  'encoding.unsupported': 'unsupported Content-Encoding: send the body as is, or with gzip, deflate or br',
};

/**
 * A request Express could not read: body-parser marks its own failures with `type` and a status
 * (http-errors' `expose` for a client error without a type: a body that does not decompress), and
 * the router throws a URIError (status 400) for a path parameter that is not valid
 * percent-encoding. All are the client's fault, never a 500.
 */
function unreadableRequest(err: unknown): { status: number; body: ErrorBody } | undefined {
  if (err instanceof URIError)
    return {
      status: 400,
      body: { code: 'BAD_REQUEST', message: 'the URL path is not valid percent-encoding (UTF-8)' },
    };
  const { type, expose } = (err ?? {}) as { type?: unknown; expose?: unknown };
  const unsupported = typeof type === 'string' ? UNSUPPORTED[type] : undefined;
  if (unsupported) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: unsupported } };
  if (type === 'entity.too.large')
    return { status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } };
  if (type === 'entity.parse.failed')
    return { status: 400, body: { code: 'INVALID_JSON', message: 'request body is not valid JSON' } };
  if (typeof type === 'string' || expose === true)
    return { status: 400, body: { code: 'BAD_REQUEST', message: 'request body could not be read' } };
  return undefined;
}

// What the pg driver and knex's pool throw when PostgreSQL cannot be reached (refused, reset,
// shut down, SQLSTATE class 08, pool timeout): an outage the client may retry, not a bug.
const DB_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);
function databaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (DB_CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return err.name === 'KnexTimeoutError' || err.message.startsWith('Connection terminated');
}

/**
 * Maps typed errors to statuses. Only the code and our own message go out: never a stack, a
 * cause, or the text of an unexpected error (which may quote SQL or a secret). Unexpected errors
 * are logged with the request line and answered 500.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const parsed = unreadableRequest(err);
    if (parsed) return void res.status(parsed.status).json(parsed.body);

    if (err instanceof TickstreamError) {
      const status = statusOf(err);
      if (status < 500 || status === 503) {
        const body: ErrorBody = { code: err.code, message: err.message };
        if (err instanceof ValidationError && err.details.length > 0) body.details = err.details;
        if (err instanceof RateLimitedError) {
          body.retryAfterSec = err.retryAfterSec;
          res.setHeader('Retry-After', String(err.retryAfterSec));
        }
        if (status === 503) {
          log.warn(
            { err: err.cause, code: err.code, path: req.path },
            'a dependency is unavailable: refusing',
          );
          res.setHeader('Retry-After', '5');
        }
        return void res.status(status).json(body);
      }
    }
    if (databaseUnavailable(err)) {
      log.warn({ err, path: req.path }, 'the database is unavailable: refusing');
      res.setHeader('Retry-After', '5');
      return void res.status(503).json({
        code: 'DATABASE_UNAVAILABLE',
        message: 'the database is unavailable; retry shortly',
      } satisfies ErrorBody);
    }
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ code: 'INTERNAL', message: 'internal error' } satisfies ErrorBody);
  };
}

/** JSON 404 for paths under the API that no route handles. */
export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' } satisfies ErrorBody);
};
