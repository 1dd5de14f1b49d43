import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import type { SymbolDemand } from '@tickstream/contracts';
import type { Logger, Redis, prom } from '@tickstream/platform';
import { createDatabase, createLogger, createRedis } from '@tickstream/platform';
import { TEST_ENV, TEST_SECRETS, uniquePrefix } from '../../../../test/support/env';
import type { InferenceApiServer } from '../../../../test/support/inference-api';
import { startInferenceApi } from '../../../../test/support/inference-api';
import { FakeAlpacaTrading } from '../../../../test/support/fake-alpaca';
import type { OrdersApiServer } from '../../../../test/support/orders-api';
import { startOrdersApi } from '../../../../test/support/orders-api';
import { createTokenService } from '../../src/auth';
import type { TokenService } from '../../src/auth';
import { applySecurity, createApiRouter } from '../../src/http';
import type { RateLimitSettings } from '../../src/ratelimit';
import type { AlpacaEndpoints } from '../../src/broker-keys/alpaca-account';

export const SECRET = TEST_SECRETS.JWT_SECRET;
export const ALLOWED_ORIGIN = 'https://app.example.test';
export const DEFAULT_LIMITS = {
  maxOrderQty: 10_000,
  maxOrderNotional: 50_000,
  tradingEnabled: true,
  deniedSymbols: [] as string[],
};

// Generous, so one file's many logins from one address never trip them by accident.
export const ROOMY_LIMITS: RateLimitSettings = {
  loginPerIp: { points: 1000, durationSec: 900 },
  loginFailuresPerAccount: { points: 5, blockSec: 900 },
  signupPerIp: { points: 1000, durationSec: 3600 },
};

export interface Harness {
  app: Express;
  db: Knex;
  redis: Redis;
  tokens: TokenService;
  masterKey: Buffer;
  /** The order service's internal API, in-process over the same database. */
  orders: OrdersApiServer;
  /** Inference's internal API (the model registry), in-process over the same database. */
  inference: InferenceApiServer;
  /** Every batch passed to publishDemand, in order. */
  published: SymbolDemand[][];
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    limits?: RateLimitSettings;
    redis?: Redis;
    publishFails?: boolean;
    log?: Logger;
    masterKey?: Buffer;
    metrics?: prom.Registry;
    /** Where PUT /api/broker-keys checks keys (a fake Alpaca); unchecked when absent. */
    alpaca?: AlpacaEndpoints;
  } = {},
): Promise<Harness> {
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 4 });
  const redis = opts.redis ?? createRedis(TEST_ENV.REDIS_URL, { keyPrefix: uniquePrefix('gw') });
  const log = opts.log ?? createLogger({ service: 'gateway-test', level: 'silent' });
  const tokens = createTokenService({ secret: SECRET, accessTtlSec: 900, refreshTtlSec: 3600, db });
  const masterKey = opts.masterKey ?? randomBytes(32);
  const published: SymbolDemand[][] = [];
  const orders = await startOrdersApi(db, { defaults: DEFAULT_LIMITS });
  const inference = await startInferenceApi(db);
  const app = express();
  // Tests pick their client address with X-Forwarded-For, so per-IP limits never collide.
  app.set('trust proxy', true);
  applySecurity(app, { corsOrigins: [ALLOWED_ORIGIN] });
  app.use(
    '/api',
    createApiRouter({
      db,
      redis,
      log,
      tokens,
      masterKey,
      orders: orders.api,
      inference: inference.api,
      defaultRiskLimits: DEFAULT_LIMITS,
      limits: opts.limits ?? ROOMY_LIMITS,
      metrics: opts.metrics,
      alpaca: opts.alpaca,
      publishDemand: async (records) => {
        if (opts.publishFails) throw new Error('broker down');
        published.push(records);
      },
    }),
  );
  return {
    app,
    db,
    redis,
    tokens,
    masterKey,
    orders,
    inference,
    published,
    close: async () => {
      await orders.close();
      await inference.close();
      redis.disconnect();
      await db.destroy();
    },
  };
}

/**
 * The harness a test file shares: started before its first test, closed after its last. The
 * object is filled in by `beforeAll`, so read it inside tests and hooks only.
 */
export function harnessForFile(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness());
  });
  afterAll(async () => h.close());
  return h;
}

/** Broker keys the fake Alpaca of `startHarnessWithFakeAlpaca` accepts. */
export const ALPACA_KEYS = { key: 'PKFAKE1234567890', secret: 'fake-secret-0123456789abcdef' };

export interface HarnessWithFakeAlpaca extends Harness {
  alpaca: FakeAlpacaTrading;
}

/** A harness whose broker-key checks go to a fake Alpaca (paper and live alike); `close` stops both. */
export async function startHarnessWithFakeAlpaca(): Promise<HarnessWithFakeAlpaca> {
  const alpaca = await FakeAlpacaTrading.start({ keys: [ALPACA_KEYS], startingCash: 25_000 });
  const h = await startHarness({ alpaca: { paperUrl: alpaca.url, liveUrl: alpaca.url } });
  return {
    ...h,
    alpaca,
    close: async () => {
      await h.close();
      await alpaca.close();
    },
  };
}

export const uniqueEmail = (label = 'u') => `${label}-${randomUUID()}@example.test`;
export const PASSWORD = 'correct horse battery';

export interface Account {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

export async function signUp(app: Express, email = uniqueEmail()): Promise<Account> {
  const res = await request(app).post('/api/auth/signup').send({ email, password: PASSWORD });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    email,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
  };
}

/** An account promoted to admin, logged in again so its token carries the role. */
export async function signUpAdmin(h: Harness): Promise<Account> {
  const a = await signUp(h.app, uniqueEmail('admin'));
  await h.db('users').where({ id: a.id }).update({ role: 'admin' });
  const res = await request(h.app).post('/api/auth/login').send({ email: a.email, password: PASSWORD });
  return { ...a, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export const bearer = (a: { accessToken: string }) => ({ Authorization: `Bearer ${a.accessToken}` });

export const randomIp = () => `10.${randomBytes(3).join('.')}`;

/** A logger that keeps every call, with its arguments as given (before any redaction). */
export function recordingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(
      JSON.stringify(args, (_k, v: unknown) =>
        v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v,
      ),
    );
  };
  const log = {
    trace: record,
    debug: record,
    info: record,
    warn: record,
    error: record,
    fatal: record,
  } as unknown as Logger;
  (log as unknown as { child: () => Logger }).child = () => log;
  return { log, lines };
}
