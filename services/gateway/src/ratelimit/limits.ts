import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger, Redis } from '@tickstream/platform';
import { prom } from '@tickstream/platform';
import { authOf, RateLimitedError } from '../request';
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
  /**
   * Call before checking a password: counts the attempt per IP and refuses a blocked account.
   * Pass the response to give the attempt back when it is answered 503.
   */
  beforeLogin(ip: string, email: string, res?: Response): Promise<void>;
  loginFailed(email: string): Promise<void>;
  loginSucceeded(email: string): Promise<void>;
}

/**
 * A count of consecutive failed logins nobody added to for this long is dropped (housekeeping of
 * keys for addresses that were tried once; far longer than any block).
 */
export const FAILURES_FORGOTTEN_AFTER_SEC = 30 * 24 * 3600;

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

  /**
   * Charges `key` one point. A request answered 503 (a dependency down, not the client's doing)
   * gets its point back when the answer is sent, so retrying through an outage does not use up
   * the trader's budget and lock them out once it is over.
   */
  async function consume(name: string, l: RateLimiterRedis, key: string, res?: Response): Promise<void> {
    const charged = await guarded(
      name,
      policyOf(name),
      log,
      () => l.consume(key),
      () => limited?.inc({ limiter: name }),
    );
    // Nothing was charged when the store failed open: nothing to give back.
    if (!res || charged === undefined) return;
    res.once('finish', () => {
      if (res.statusCode !== 503) return;
      l.reward(key, 1).catch((err: unknown) =>
        log.warn({ err, limiter: name }, 'could not give back a point of a request answered 503'),
      );
    });
  }

  const failures = settings.loginFailuresPerAccount;
  // Consecutive failed logins of an account: a counter until a success deletes it, however far
  // apart the failures (rate-limiter-flexible counts per window, which would forget slow
  // guessing). Each failure pushes the key's expiry out again, only so that Redis does not keep
  // a key for every address ever tried; reaching the limit blocks the account for blockSec and
  // starts a new count.
  const failuresKey = (email: string) => `${prefix}login-failures:${accountKey(email)}`;
  const blockedKey = (email: string) => `${prefix}login-blocked:${accountKey(email)}`;

  return {
    limitPerUser(name, points, durationSec) {
      const l = limiter(name, points, durationSec);
      return async (req, res, next) => {
        await consume(name, l, authOf(req).userId, res);
        next();
      };
    },

    limitPerIp(name, points, durationSec) {
      const l = limiter(name, points, durationSec);
      return async (req, res, next) => {
        await consume(name, l, req.ip ?? 'unknown', res);
        next();
      };
    },

    async beforeLogin(ip, email, res) {
      const { points, durationSec } = settings.loginPerIp;
      await consume('login', limiter('login', points, durationSec), ip, res);
      const blockedMs = await guarded('login-account', policyOf('login-account'), log, () =>
        redis.pttl(blockedKey(email)),
      );
      if (blockedMs !== undefined && blockedMs > 0) {
        limited?.inc({ limiter: 'login-account' });
        throw new RateLimitedError(blockedMs / 1000, 'too many failed logins for this account; retry later');
      }
    },

    async loginFailed(email) {
      const key = failuresKey(email);
      try {
        const [counted] = (await redis
          .multi()
          .incr(key)
          .expire(key, FAILURES_FORGOTTEN_AFTER_SEC)
          .exec()) as [[Error | null, number]];
        if (counted[0]) throw counted[0];
        if (counted[1] >= failures.points)
          await redis.multi().set(blockedKey(email), '1', 'EX', failures.blockSec).del(key).exec();
      } catch (err) {
        log.warn({ err }, 'could not count a failed login');
      }
    },

    async loginSucceeded(email) {
      await redis
        .del(failuresKey(email))
        .catch((err: unknown) => log.warn({ err }, 'could not reset failed logins'));
    },
  };
}
