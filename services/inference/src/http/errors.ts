import type { ErrorRequestHandler } from 'express';
import type { ErrorBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import type { z } from 'zod';

// Inference's HTTP errors answer the gateway's ErrorBody, so one client-side reader fits both.

/**
 * 400 VALIDATION_FAILED naming each bad field. Messages are zod's, never the offending value.
 *
 * @example
 *   if (!parsed.success) return void res.status(400).json(validationFailed('send {"symbols": [...]}', parsed.error));
 */
export function validationFailed(message: string, error: z.ZodError): ErrorBody {
  return {
    code: 'VALIDATION_FAILED',
    message,
    details: error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  };
}

/**
 * The last middleware: body-parser's own failures are the client's (400 INVALID_JSON, 413
 * PAYLOAD_TOO_LARGE); anything else is logged and answered 500 INTERNAL without its text.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large')
      return void res
        .status(413)
        .json({ code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } satisfies ErrorBody);
    if (type === 'entity.parse.failed')
      return void res
        .status(400)
        .json({ code: 'INVALID_JSON', message: 'request body is not valid JSON' } satisfies ErrorBody);
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ code: 'INTERNAL', message: 'internal error' } satisfies ErrorBody);
  };
}
