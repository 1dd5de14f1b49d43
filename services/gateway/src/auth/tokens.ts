import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { BrokerKind } from '@tickstream/contracts';
import { assertUsableSecret } from '@tickstream/platform';
import type { AccessClaims } from '../request';
import { AuthError } from '../request';

const ISSUER = 'tickstream-gateway';
const AUDIENCE = 'tickstream-api';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token, seconds. */
  expiresIn: number;
}

export interface TokenService {
  /** Starts a new session (refresh family) for the user. */
  issue(user: { id: string; role: string }): Promise<TokenPair>;
  /** Exchanges a refresh token for a new pair; a second use of any token revokes its family. */
  rotate(refreshToken: string): Promise<TokenPair & { userId: string }>;
  /** Ends a session (logout): its refresh tokens, its access tokens, and its open sockets. */
  revokeFamily(userId: string, sessionId: string): Promise<void>;
  /**
   * Throws AuthError TOKEN_EXPIRED or TOKEN_INVALID; also refuses tokens of an ended session or a
   * deleted account. The role returned is the account's current one, read from the database.
   */
  verifyAccess(token: string): Promise<AccessClaims>;
  /** False once the session was logged out or revoked, or the account deleted. */
  sessionLive(userId: string, sessionId: string): Promise<boolean>;
}

/** A session that ended before its tokens expired: logout, or a reused refresh token. */
export interface SessionEnded {
  userId: string;
  sessionId: string;
  reason: 'logout' | 'session_revoked';
}

export interface TokenServiceOptions {
  /** HS256 key: at least 32 bytes of high-entropy text, never a value published in the repository. */
  secret: string;
  accessTtlSec: number;
  refreshTtlSec: number;
  db: Knex;
  /**
   * Told after a revocation is committed, so sockets authenticated with the session's access
   * tokens (checked only at their handshake) are closed. Must not throw.
   */
  onSessionEnded?: (ended: SessionEnded) => Promise<void> | void;
}

const claimsSchema = z.object({ sub: z.string().uuid(), role: z.string().min(1), sid: z.string().uuid() });

type RotateOutcome =
  | { error: 'TOKEN_INVALID' | 'TOKEN_EXPIRED' }
  | { error: 'REFRESH_REUSED'; userId: string; familyId: string }
  | { error?: undefined; userId: string; role: string; familyId: string; next: string };

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Short-lived HS256 access tokens and rotating opaque refresh tokens. Refresh tokens are stored
 * only as SHA-256 hashes (they are 256 random bits, so a slow hash adds nothing); each belongs to a
 * family started at login. Using a token marks it used and issues its successor; presenting a used
 * token means it was stolen or replayed, so the whole family is revoked.
 *
 * @example
 *   const tokens = createTokenService({ secret: config.JWT_SECRET, accessTtlSec: 900, refreshTtlSec: 2592000, db });
 *   const { userId } = await tokens.verifyAccess(bearer);
 */
export function createTokenService(opts: TokenServiceOptions): TokenService {
  assertUsableSecret('JWT_SECRET', opts.secret);
  const key = new TextEncoder().encode(opts.secret);
  const { db } = opts;

  async function signAccess(userId: string, role: string, sessionId: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + opts.accessTtlSec)
      .sign(key);
  }

  async function newRefresh(trx: Knex | Knex.Transaction, userId: string, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await trx('refresh_tokens').insert({
      id: randomUUID(),
      user_id: userId,
      family_id: familyId,
      token_hash: sha256(token),
      expires_at: new Date(Date.now() + opts.refreshTtlSec * 1000),
    });
    return token;
  }

  async function sessionLive(userId: string, sessionId: string): Promise<boolean> {
    const session = (await db('refresh_tokens')
      .where({ family_id: sessionId, user_id: userId })
      .first(db.raw('count(*)::int as n'), db.raw('bool_or(revoked_at is not null) as revoked'))) as
      { n: number; revoked: boolean | null } | undefined;
    return session !== undefined && session.n > 0 && !session.revoked;
  }

  const revoke = (q: Knex | Knex.Transaction, familyId: string) =>
    q('refresh_tokens')
      .where({ family_id: familyId })
      .whereNull('revoked_at')
      .update({ revoked_at: q.fn.now() });

  return {
    async issue(user) {
      const familyId = randomUUID();
      const refreshToken = await newRefresh(db, user.id, familyId);
      return {
        accessToken: await signAccess(user.id, user.role, familyId),
        refreshToken,
        expiresIn: opts.accessTtlSec,
      };
    },

    async rotate(refreshToken) {
      // Decided inside the transaction, thrown after it: a detected reuse must commit its revocation.
      const outcome = await db.transaction(async (trx): Promise<RotateOutcome> => {
        const row = await trx('refresh_tokens')
          .where({ token_hash: sha256(refreshToken) })
          .forUpdate()
          .first();
        if (!row || row.revoked_at) return { error: 'TOKEN_INVALID' };
        if (row.used_at) {
          await revoke(trx, row.family_id);
          return {
            error: 'REFRESH_REUSED',
            userId: row.user_id as string,
            familyId: row.family_id as string,
          };
        }
        if (new Date(row.expires_at).getTime() <= Date.now()) return { error: 'TOKEN_EXPIRED' };
        const user = await trx('users').where({ id: row.user_id }).first('role');
        if (!user) return { error: 'TOKEN_INVALID' };
        await trx('refresh_tokens').where({ id: row.id }).update({ used_at: trx.fn.now() });
        const next = await newRefresh(trx, row.user_id, row.family_id);
        return {
          userId: row.user_id as string,
          role: user.role as string,
          familyId: row.family_id as string,
          next,
        };
      });
      if (outcome.error === 'REFRESH_REUSED')
        await opts.onSessionEnded?.({
          userId: outcome.userId,
          sessionId: outcome.familyId,
          reason: 'session_revoked',
        });
      if (outcome.error !== undefined) {
        const message =
          outcome.error === 'REFRESH_REUSED'
            ? 'refresh token already used: session revoked, log in again'
            : 'refresh token is not valid; log in again';
        throw new AuthError(outcome.error, message);
      }
      const accessToken = await signAccess(outcome.userId, outcome.role, outcome.familyId);
      return {
        accessToken,
        refreshToken: outcome.next,
        expiresIn: opts.accessTtlSec,
        userId: outcome.userId,
      };
    },

    async revokeFamily(userId, sessionId) {
      await revoke(db, sessionId).andWhere({ user_id: userId });
      await opts.onSessionEnded?.({ userId, sessionId, reason: 'logout' });
    },

    async verifyAccess(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
        }));
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired)
          throw new AuthError('TOKEN_EXPIRED', 'access token expired: refresh it', { cause: err });
        throw new AuthError('TOKEN_INVALID', 'invalid access token', { cause: err });
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new AuthError('TOKEN_INVALID', 'invalid access token');
      const { sub, sid } = claims.data;
      // The session must still exist and be live: logout, reuse detection and deleting the
      // account (which cascades to its refresh tokens) end its access tokens at once. The role
      // is read in the same query (users by primary key, refresh tokens by family index): the
      // token's `role` claim is only a hint for clients, so a forged or stale claim grants
      // nothing and `npm run admin -- revoke` takes effect on the next request. The broker comes
      // along for placing orders, which would otherwise read the same row again.
      const session = (await db('refresh_tokens as t')
        .join('users as u', 'u.id', 't.user_id')
        .where({ 't.family_id': sid, 't.user_id': sub })
        .groupBy('u.role', 'u.broker')
        .first(
          'u.role as role',
          'u.broker as broker',
          db.raw('count(*)::int as n'),
          db.raw('bool_or(t.revoked_at is not null) as revoked'),
        )) as { role: string; broker: BrokerKind; n: number; revoked: boolean } | undefined;
      if (!session || session.n === 0 || session.revoked)
        throw new AuthError('TOKEN_INVALID', 'session ended: log in again');
      return { userId: sub, role: session.role, sessionId: sid, broker: session.broker };
    },

    sessionLive,
  };
}
