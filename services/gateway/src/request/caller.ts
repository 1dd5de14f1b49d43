import type { Request } from 'express';
import type { BrokerKind } from '@tickstream/contracts';
import { AuthError } from './errors';

/** Who made a request, as `requireAuth` verified it. */
export interface AccessClaims {
  userId: string;
  /** The account's role as the database holds it now, never the token's claim. */
  role: string;
  /** The refresh-token family this access token was issued with (logout revokes it). */
  sessionId: string;
  /** The broker the account trades with, as the database holds it now (orders are stamped with it). */
  broker: BrokerKind;
}

// Keyed by the request object itself, so the context is typed without widening Express's global
// Request type for every other module of the gateway. Here, below auth/, so modules auth uses
// (the rate limits) can read the caller without importing auth.
const callers = new WeakMap<Request, AccessClaims>();

/** Records the verified caller of `req`; only `requireAuth` calls it. */
export function setCaller(req: Request, claims: AccessClaims): void {
  callers.set(req, claims);
}

/** The caller of a request that passed `requireAuth`. */
export function authOf(req: Request): AccessClaims {
  const claims = callers.get(req);
  if (!claims) throw new AuthError('UNAUTHORIZED', 'authentication required');
  return claims;
}
