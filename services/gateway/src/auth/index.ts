export { createTokenService } from './tokens';
export type { TokenService, TokenServiceOptions, TokenPair, SessionEnded } from './tokens';
export { requireAuth, requireRole } from './middleware';
