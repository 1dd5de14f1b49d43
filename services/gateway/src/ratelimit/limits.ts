import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger, Redis } from '@tickstream/platform';
import { prom } from '@tickstream/platform';
import { authOf } from '../auth/middleware';
import { RateLimitedError } from '../http/errors';
import type { FailPolicy, RateLimitSettings } from './policy';
import { DEFAULT_FAIL_POLICY, DEFAULT_RATE_LIMITS, guarded } from './policy';

export interface RateLimitsOptions {
  redis: Redis;
  log: Logger;
  /** Prefix of every limiter key (after the client's own key prefix). Tests use a unique one. */
  keyPrefix?: string;
  settings?: RateLimitSettings;
  failPolicy?: Readonly<Record<string, FailPolicy>>;
  metrics?: prom.Registry;
}

export interface RateLimits {
  /**
   * At most `points` requests per `durationSec` per authenticated user; must follow `requireAuth`.
   * Limits with the same name share their budget across routes and replicas.
   *
   * @example
   *   router.post('/orders', requireAuth(tokens), limits.limitPerUser('orders', 10, 60), placeOrder);
   */
  limitPerUser(name: string, points: number, durationSec: number): RequestHandler;
  /** At most `points` requests per `durationSec` per client IP (`req.ip`: set `trust proxy` behind a proxy). */
  limitPerIp(name: string, points: number, durationSec: number): RequestHandler;
  /** Call before checking a password: counts the attempt per IP and refuses a blocked account. */
  beforeLogin(ip: string, email: string): Promise<void>;
  loginFailed(email: string): Promise<void>;
  loginSucceeded(email: string): Promise<void>;
}

// Emails are personal data: Redis only ever sees a hash of them.
const accountKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/** Redis-backed limits shared by every gateway replica. */
export function createRateLimits(opts: RateLimitsOptions): RateLimits {
  const { redis, log } = opts;
  const prefix = opts.keyPrefix ?? 'rl:';
  const settings = opts.settings ?? DEFAULT_RATE_LIMITS;
  const policies = opts.failPolicy ?? DEFAULT_FAIL_POLICY;
  const policyOf = (name: string): FailPolicy => policies[name] ?? 'open';
  const limited = opts.metrics
    ? new prom.Counter({
        name: 'gateway_rate_limited_total',
        help: 'Requests refused by a rate limit',
        labelNames: ['limiter'],
        registers: [opts.metrics],
      })
    : undefined;

  const cache = new Map<string, RateLimiterRedis>();
  function limiter(name: string, points: number, durationSec: number, blockSec = 0): RateLimiterRedis {
    const id = `${name}:${points}:${durationSec}:${blockSec}`;
    let l = cache.get(id);
    if (!l) {
      l = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}${name}`,
        points,
        duration: durationSec,
        blockDuration: blockSec,
      });
      cache.set(id, l);
    }
    return l;
  }

  const consume = (name: string, l: RateLimiterRedis, key: string) =>
    guarded(
      name,
      policyOf(name),
      log,
      () => l.consume(key),
      () => limited?.inc({ limiter: name }),
    );

  const failures = settings.loginFailuresPerAccount;
  // Failures count over a day, so slow guessing still adds up; reaching the limit blocks for blockSec.
  const accountLimiter = limiter('login-account', failures.points, 24 * 3600);

  return {
    limitPerUser(name, points, durationSec) {
      const l = limiter(name, points, durationSec);
      return async (req, _res, next) => {
        await consume(name, l, authOf(req).userId);
        next();
      };
    },

    limitPerIp(name, points, durationSec) {
      const l = limiter(name, points, durationSec);
      return async (req, _res, next) => {
        await consume(name, l, req.ip ?? 'unknown');
        next();
      };
    },

    async beforeLogin(ip, email) {
      const { points, durationSec } = settings.loginPerIp;
      await consume('login', limiter('login', points, durationSec), ip);
      const state = await guarded('login-account', policyOf('login-account'), log, () =>
        accountLimiter.get(accountKey(email)),
      );
      if (state && state.consumedPoints >= failures.points) {
        limited?.inc({ limiter: 'login-account' });
        throw new RateLimitedError(
          state.msBeforeNext / 1000,
          'too many failed logins for this account; retry later',
        );
      }
    },

    async loginFailed(email) {
      const key = accountKey(email);
      const res = await guarded('login-account', 'open', log, () => accountLimiter.consume(key)).catch(
        () => undefined,
      );
      if (res && res.remainingPoints === 0)
        await accountLimiter
          .block(key, failures.blockSec)
          .catch((err: unknown) => log.warn({ err }, 'could not block account'));
    },

    async loginSucceeded(email) {
      await accountLimiter
        .delete(accountKey(email))
        .catch((err: unknown) => log.warn({ err }, 'could not reset failed logins'));
    },
  };
}
