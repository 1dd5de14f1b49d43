import { Router } from 'express';
import type { Knex } from 'knex';
import { loginBody, refreshBody, signupBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { createUser, findUserByEmail, getUser, toPublicUser } from '../users';
import { AuthError, ValidationError, authOf, parse } from '../request';
import type { RateLimits } from '../ratelimit/limits';
import type { RateLimitSettings } from '../ratelimit/policy';
import { requireAuth } from './middleware';
import { checkPassword, hashPassword } from './passwords';
import type { TokenService } from './tokens';

export interface AuthRoutesDeps {
  db: Knex;
  tokens: TokenService;
  limits: RateLimits;
  settings: RateLimitSettings;
  log: Logger;
}

/** /auth/signup, /auth/login, /auth/refresh, /auth/logout. */
export function authRoutes(deps: AuthRoutesDeps): Router {
  const { db, tokens, limits, log } = deps;
  const router = Router();
  const signupLimit = limits.limitPerIp(
    'signup',
    deps.settings.signupPerIp.points,
    deps.settings.signupPerIp.durationSec,
  );

  router.post('/auth/signup', signupLimit, async (req, res) => {
    const input = parse(signupBody, req.body);
    const local = input.email.split('@')[0] ?? '';
    if (local.length >= 4 && input.password.toLowerCase().includes(local)) {
      throw new ValidationError('invalid request body', [
        { path: 'password', message: 'must not contain your email name' },
      ]);
    }
    const user = await createUser(db, {
      email: input.email,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
    });
    log.info({ userId: user.id }, 'account created');
    res.status(201).json({ ...(await tokens.issue(user)), user: toPublicUser(user) });
  });

  router.post('/auth/login', async (req, res) => {
    const input = parse(loginBody, req.body);
    await limits.beforeLogin(req.ip ?? 'unknown', input.email, res);
    const user = await findUserByEmail(db, input.email);
    // Verified even for an unknown email (against a dummy hash): same time, same answer.
    const ok = await checkPassword(user?.password_hash, input.password);
    if (!user || !ok) {
      await limits.loginFailed(input.email);
      throw new AuthError('INVALID_CREDENTIALS', 'wrong email or password');
    }
    await limits.loginSucceeded(input.email);
    res.json({ ...(await tokens.issue(user)), user: toPublicUser(user) });
  });

  router.post('/auth/refresh', async (req, res) => {
    const { refreshToken } = parse(refreshBody, req.body);
    const pair = await tokens.rotate(refreshToken);
    const user = await getUser(db, pair.userId);
    res.json({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresIn: pair.expiresIn,
      user: toPublicUser(user),
    });
  });

  router.post('/auth/logout', requireAuth(tokens), async (req, res) => {
    const { userId, sessionId } = authOf(req);
    await tokens.revokeFamily(userId, sessionId);
    res.status(204).end();
  });

  return router;
}
