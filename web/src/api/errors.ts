import { describeValidation } from '../trading/rejections';

/** An error answer of the API, or a failure to reach it (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSec: number | null = null,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  retryAfterSec?: unknown;
}

/** Reads the gateway's `{code, message, details?, retryAfterSec?}` error answer. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // A proxy's HTML error page: the status alone has to do.
  }
  const header = Number(res.headers.get('Retry-After'));
  const retryAfter =
    typeof body.retryAfterSec === 'number'
      ? body.retryAfterSec
      : Number.isFinite(header) && header > 0
        ? header
        : null;
  const details = Array.isArray(body.details) ? (body.details as { path: string; message: string }[]) : [];
  return new ApiError(
    res.status,
    typeof body.code === 'string' ? body.code : `HTTP_${res.status}`,
    typeof body.message === 'string' ? body.message : res.statusText || 'request failed',
    retryAfter,
    details,
  );
}

function waitWords(sec: number): string {
  if (sec < 90) return `${sec} s`;
  const min = Math.ceil(sec / 60);
  return `${min} min`;
}

/** A sentence a trader can act on, for any error thrown by the API client. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : 'Something went wrong.';
  switch (err.code) {
    case 'INVALID_CREDENTIALS':
      return 'Wrong email or password.';
    case 'RATE_LIMITED':
      return err.retryAfterSec
        ? `Too many attempts. Try again in ${waitWords(err.retryAfterSec)}.`
        : 'Too many attempts. Try again shortly.';
    case 'RATE_LIMIT_UNAVAILABLE':
      return 'The service cannot check its limits right now. Try again in a few seconds.';
    case 'EMAIL_TAKEN':
      return 'An account with this email already exists. Log in instead.';
    case 'NAME_TAKEN':
      return 'You already have a watchlist with this name.';
    case 'LIMIT_REACHED':
      return `Limit reached: ${err.message}.`;
    case 'BROKER_KEYS_REQUIRED':
      return 'Store your Alpaca keys first, then choose Alpaca paper.';
    case 'NETWORK':
      return 'Cannot reach the server. Check your connection.';
    case 'VALIDATION_FAILED':
      return err.details.length > 0 ? describeValidation(err.details) : sentence(err.message);
    default:
      return sentence(err.message);
  }
}

function sentence(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
