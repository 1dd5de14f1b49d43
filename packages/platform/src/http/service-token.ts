import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { sendJson } from './health';

const digest = (v: string) => createHash('sha256').update(v).digest();

/**
 * Admits a request to a service's internal API only with `Authorization: Bearer <token>` (the
 * order service's ORDERS_SERVICE_TOKEN, inference's INFERENCE_SERVICE_TOKEN): such an API answers
 * for any account or model, so only the gateway (which authenticated the user) may call it.
 * Digests are compared in constant time; the token is never logged. A refusal is answered here,
 * 401 with `{ code, message }` (SERVICE_TOKEN_REQUIRED, SERVICE_TOKEN_INVALID), as Express
 * middleware or in front of any Node request handler.
 *
 * @example
 *   router.use(requireServiceToken(config.ORDERS_SERVICE_TOKEN));
 */
export function requireServiceToken(
  token: string,
): (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void {
  const expected = digest(token);
  return (req, res, next) => {
    // The scheme is case-insensitive (RFC 7235 2.1), as at the gateway's own edge.
    const given = /^Bearer +(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!given)
      return sendJson(res, 401, { code: 'SERVICE_TOKEN_REQUIRED', message: 'a service token is required' });
    if (!timingSafeEqual(digest(given), expected))
      return sendJson(res, 401, { code: 'SERVICE_TOKEN_INVALID', message: 'the service token is not valid' });
    next();
  };
}
