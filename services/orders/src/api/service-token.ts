import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const digest = (v: string) => createHash('sha256').update(v).digest();

/**
 * Admits a request only with `Authorization: Bearer <ORDERS_SERVICE_TOKEN>`: the internal API
 * answers for any account, so only the gateway (which authenticated the user) may call it.
 * Digests are compared in constant time; the token is never logged.
 */
export function requireServiceToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1];
    if (!given) throw new ApiError(401, 'SERVICE_TOKEN_REQUIRED', 'a service token is required');
    if (!timingSafeEqual(digest(given), expected))
      throw new ApiError(401, 'SERVICE_TOKEN_INVALID', 'the service token is not valid');
    next();
  };
}
