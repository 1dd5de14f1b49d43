import { z } from 'zod';
import { commaList, masterKey, positiveInt, secret } from '@tickstream/platform';
import type { RateLimitSettings } from '../ratelimit/policy';

const originList = commaList().refine(
  (list) => list.every((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o)),
  {
    message: 'expected comma-separated origins such as https://app.example.com,http://localhost:5173',
  },
);

/**
 * Settings of the REST API, to spread into the gateway's `loadConfig` shape.
 *
 * @example
 *   const config = loadConfig({ ...commonEnv, ...apiEnv, HTTP_PORT: port(8080) });
 *   createTokenService({ secret: config.JWT_SECRET, accessTtlSec: config.ACCESS_TOKEN_TTL_SEC, ... });
 */
export const apiEnv = {
  /** HS256 key: at least 32 bytes, not a value published in the repository. */
  JWT_SECRET: secret(),
  ACCESS_TOKEN_TTL_SEC: positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_SEC: positiveInt(30 * 24 * 3600),
  BROKER_KEYS_MASTER_KEY: masterKey(),
  /** The order service's internal API (orders, positions, risk controls) and its bearer token. */
  ORDERS_URL: z.string().url().default('http://127.0.0.1:9105'),
  ORDERS_SERVICE_TOKEN: secret(),
  CORS_ORIGINS: originList,
  API_BODY_LIMIT_BYTES: positiveInt(16 * 1024),
  RATE_LOGIN_PER_IP: positiveInt(20),
  RATE_LOGIN_WINDOW_SEC: positiveInt(15 * 60),
  RATE_LOGIN_FAILURES: positiveInt(5),
  RATE_LOGIN_BLOCK_SEC: positiveInt(15 * 60),
  RATE_SIGNUP_PER_IP: positiveInt(5),
  RATE_SIGNUP_WINDOW_SEC: positiveInt(3600),
  RATE_ORDERS_PER_MIN: positiveInt(10),
  RATE_PREDICTIONS_PER_MIN: positiveInt(30),
};

type ApiConfig = { [K in keyof typeof apiEnv]: z.output<(typeof apiEnv)[K]> };

export function rateLimitSettings(
  config: Pick<
    ApiConfig,
    | 'RATE_LOGIN_PER_IP'
    | 'RATE_LOGIN_WINDOW_SEC'
    | 'RATE_LOGIN_FAILURES'
    | 'RATE_LOGIN_BLOCK_SEC'
    | 'RATE_SIGNUP_PER_IP'
    | 'RATE_SIGNUP_WINDOW_SEC'
  >,
): RateLimitSettings {
  return {
    loginPerIp: { points: config.RATE_LOGIN_PER_IP, durationSec: config.RATE_LOGIN_WINDOW_SEC },
    loginFailuresPerAccount: { points: config.RATE_LOGIN_FAILURES, blockSec: config.RATE_LOGIN_BLOCK_SEC },
    signupPerIp: { points: config.RATE_SIGNUP_PER_IP, durationSec: config.RATE_SIGNUP_WINDOW_SEC },
  };
}
