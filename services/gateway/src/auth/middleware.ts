import type { RequestHandler } from 'express';
import { AuthError, ForbiddenError, authOf, setCaller } from '../request';
import type { TokenService } from './tokens';

/**
 * Accepts `Authorization: Bearer <access token>` and records the caller for `authOf`.
 *
 * @example
 *   router.get('/me', requireAuth(tokens), (req, res) => res.json({ id: authOf(req).userId }));
 */
export function requireAuth(tokens: Pick<TokenService, 'verifyAccess'>): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    // The scheme is case-insensitive and may be followed by more than one space (RFC 7235 2.1).
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match?.[1])
      throw new AuthError('UNAUTHORIZED', 'send an access token: Authorization: Bearer <token>');
    setCaller(req, await tokens.verifyAccess(match[1]));
    next();
  };
}

/**
 * Must follow `requireAuth`. The role it checks is the one `verifyAccess` read from the users
 * table for this request, so a demotion holds from the next request and a token claiming a role
 * grants nothing.
 */
export function requireRole(role: string): RequestHandler {
  return (req, _res, next) => {
    if (authOf(req).role !== role) throw new ForbiddenError(`requires the ${role} role`);
    next();
  };
}
