import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '@tickstream/platform';
import { RateLimitUnavailableError, RateLimitedError } from '../request';

/**
 * What a limit does when Redis cannot be reached. `closed` refuses the request (503
 * RATE_LIMIT_UNAVAILABLE): for limits that protect money or credentials, where an attacker
 * could otherwise knock out Redis to lift them. `open` lets the request through and logs: for
 * limits that only protect capacity, where an outage of Redis should not become one of the API.
 */
export type FailPolicy = 'open' | 'closed';

/** The policy of each named limit; a name not listed fails open. */
export const DEFAULT_FAIL_POLICY: Readonly<Record<string, FailPolicy>> = Object.freeze({
  login: 'closed',
  'login-account': 'closed',
  orders: 'closed',
  signup: 'open',
  predictions: 'open',
});

export interface Window {
  points: number;
  durationSec: number;
}

/** Every limit the API applies itself; the lead's routes pass their own numbers to `limitPerUser`. */
export interface RateLimitSettings {
  /** Login attempts per client IP, successful or not. Default 20 per 15 min. */
  loginPerIp: Window;
  /** Consecutive failed logins of one account before it is blocked for `blockSec`. Default 5, 15 min. */
  loginFailuresPerAccount: { points: number; blockSec: number };
  /** Sign-ups per client IP. Default 5 per hour. */
  signupPerIp: Window;
}

export const DEFAULT_RATE_LIMITS: Readonly<RateLimitSettings> = Object.freeze({
  loginPerIp: { points: 20, durationSec: 15 * 60 },
  loginFailuresPerAccount: { points: 5, blockSec: 15 * 60 },
  signupPerIp: { points: 5, durationSec: 60 * 60 },
});

/** Turns a limiter's rejection into the API's errors; a store failure obeys the policy. */
export async function guarded<T>(
  name: string,
  policy: FailPolicy,
  log: Logger,
  attempt: () => Promise<T>,
  onLimited?: () => void,
): Promise<T | undefined> {
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      onLimited?.();
      throw new RateLimitedError(err.msBeforeNext / 1000);
    }
    if (policy === 'closed') throw new RateLimitUnavailableError(err);
    log.warn({ err, limiter: name }, 'rate limit store unavailable: letting the request through');
    return undefined;
  }
}
