export { createTokenService } from './tokens';
export type { TokenService, TokenServiceOptions, TokenPair, AccessClaims, SessionEnded } from './tokens';
export { requireAuth, requireRole, authOf } from './middleware';
