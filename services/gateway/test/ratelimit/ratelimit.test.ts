import express from 'express';
import request from 'supertest';
import type { Redis } from '@tickstream/platform';
import { createLogger, createRedis } from '@tickstream/platform';
import { TEST_ENV, uniquePrefix } from '../../../../test/support/env';
import { requireAuth } from '../../src/auth';
import { errorHandler } from '../../src/http';
import { DependencyUnavailableError } from '../../src/request';
import type { RateLimits } from '../../src/ratelimit';
import { createRateLimits } from '../../src/ratelimit';
import { PASSWORD, ROOMY_LIMITS, bearer, randomIp, signUp, startHarness } from '../http/harness';
import type { Harness } from '../http/harness';

const log = createLogger({ service: 'gateway-test', level: 'silent' });

/** An app answering POST at each path of `routes` for signed-in users, within `[name, per minute]` each. */
function limitedApp(
  tokens: Harness['tokens'],
  limits: RateLimits,
  routes: Record<string, [name: string, perMinute: number]>,
): express.Express {
  const app = express();
  for (const [path, [name, perMinute]] of Object.entries(routes))
    app.post(
      path,
      requireAuth(tokens),
      limits.limitPerUser(name, perMinute, 60),
      (_req, res) => void res.json({ ok: true }),
    );
  app.use(errorHandler(log));
  return app;
}

describe('login limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      limits: {
        loginPerIp: { points: 3, durationSec: 60 },
        loginFailuresPerAccount: { points: 2, blockSec: 60 },
        signupPerIp: { points: 2, durationSec: 60 },
      },
    });
  });
  afterAll(async () => h.close());

  const login = (email: string, password: string, ip: string) =>
    request(h.app).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('limits attempts per IP with 429, Retry-After and a JSON body', async () => {
    const a = await signUp(h.app);
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await login(a.email, PASSWORD, ip)).status).toBe(200);
    const res = await login(a.email, PASSWORD, ip);
    expect(res.status).toBe(429);
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.body).toEqual({ code: 'RATE_LIMITED', message: expect.any(String), retryAfterSec: retry });
    expect((await login(a.email, PASSWORD, randomIp())).status).toBe(200);
  });

  it('blocks an account after consecutive failures from any IP, and a success resets the count', async () => {
    const a = await signUp(h.app);
    expect((await login(a.email, 'wrong password 1', randomIp())).status).toBe(401);
    expect((await login(a.email, PASSWORD, randomIp())).status).toBe(200);
    // The success reset the count: two more failures are needed to block.
    expect((await login(a.email, 'wrong password 2', randomIp())).status).toBe(401);
    expect((await login(a.email, 'wrong password 3', randomIp())).status).toBe(401);
    const blocked = await login(a.email, PASSWORD, randomIp());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(50);
    const other = await signUp(h.app);
    expect((await login(other.email, PASSWORD, randomIp())).status).toBe(200);
  });

  it('limits sign-ups per IP', async () => {
    const ip = randomIp();
    const signup = (n: number) =>
      request(h.app)
        .post('/api/auth/signup')
        .set('X-Forwarded-For', ip)
        .send({ email: `rl-${n}-${Date.now()}@example.test`, password: PASSWORD });
    expect((await signup(1)).status).toBe(201);
    expect((await signup(2)).status).toBe(201);
    expect((await signup(3)).status).toBe(429);
  });
});

// Issue 13 §6: documented as "5 consecutive failures, a success resets", but counted over a
// 24-hour window, so guessing a few passwords a day was never blocked.
describe('consecutive failed logins', () => {
  let h: Harness;
  let raw: Redis;
  beforeAll(async () => {
    h = await startHarness({
      limits: { ...ROOMY_LIMITS, loginFailuresPerAccount: { points: 3, blockSec: 600 } },
    });
    raw = createRedis(TEST_ENV.REDIS_URL);
  });
  afterAll(async () => {
    raw.disconnect();
    await h.close();
  });

  /** Lets `ms` pass for this harness's Redis keys: what expires by then is gone, the rest has less time. */
  async function elapse(ms: number): Promise<void> {
    const keys = await raw.keys(`${h.redis.options.keyPrefix ?? ''}*`);
    for (const key of keys) {
      const ttl = await raw.pttl(key);
      if (ttl > 0 && ttl <= ms) await raw.del(key);
      else if (ttl > ms) await raw.pexpire(key, ttl - ms);
    }
  }

  const login = (email: string, password: string) =>
    request(h.app).post('/api/auth/login').set('X-Forwarded-For', randomIp()).send({ email, password });

  it('blocks after consecutive failures however far apart, until a success resets', async () => {
    const a = await signUp(h.app);
    expect((await login(a.email, 'wrong password 1')).status).toBe(401);
    expect((await login(a.email, 'wrong password 2')).status).toBe(401);
    await elapse(25 * 3600 * 1000);
    expect((await login(a.email, 'wrong password 3')).status).toBe(401);
    const blocked = await login(a.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');

    // The block ends after blockSec and the count starts again from zero.
    await elapse(601 * 1000);
    expect((await login(a.email, 'wrong password 4')).status).toBe(401);
    expect((await login(a.email, PASSWORD)).status).toBe(200);
    // The success reset the count: two failures a day apart do not block.
    expect((await login(a.email, 'wrong password 5')).status).toBe(401);
    await elapse(25 * 3600 * 1000);
    expect((await login(a.email, 'wrong password 6')).status).toBe(401);
    expect((await login(a.email, PASSWORD)).status).toBe(200);
  });
});

describe('limitPerUser', () => {
  let h: Harness;
  let redis: Redis;
  beforeAll(async () => {
    h = await startHarness();
    redis = createRedis(TEST_ENV.REDIS_URL, { keyPrefix: uniquePrefix('rl') });
  });
  afterAll(async () => {
    redis.disconnect();
    await h.close();
  });

  it('gives each user their own budget', async () => {
    const app = limitedApp(h.tokens, createRateLimits({ redis, log }), { '/predict': ['predictions', 2] });
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    expect((await request(app).post('/predict').set(bearer(a))).status).toBe(200);
    expect((await request(app).post('/predict').set(bearer(a))).status).toBe(200);
    const limited = await request(app).post('/predict').set(bearer(a));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await request(app).post('/predict').set(bearer(b))).status).toBe(200);
  });

  it('gives the point back when the request is answered 503', async () => {
    const limits = createRateLimits({ redis, log });
    let down = true;
    const app = express();
    app.post('/orders', requireAuth(h.tokens), limits.limitPerUser('orders', 2, 60), (_req, res) => {
      if (down) throw new DependencyUnavailableError('ORDERS_UNAVAILABLE', 'the order service is down');
      res.json({ ok: true });
    });
    app.use(errorHandler(log));
    const a = await signUp(h.app);
    // A trader retrying through an outage...
    for (let i = 0; i < 4; i++) expect((await request(app).post('/orders').set(bearer(a))).status).toBe(503);
    // ...still has the whole budget once it is over; a request answered otherwise is charged.
    down = false;
    expect((await request(app).post('/orders').set(bearer(a))).status).toBe(200);
    expect((await request(app).post('/orders').set(bearer(a))).status).toBe(200);
    expect((await request(app).post('/orders').set(bearer(a))).status).toBe(429);
  });
});

describe('when Redis is down', () => {
  let h: Harness;
  let live: Harness;
  let dead: Redis;
  beforeAll(async () => {
    // Nothing listens on port 1: every command fails at once (no offline queue).
    dead = createRedis('redis://127.0.0.1:1', { keyPrefix: uniquePrefix('dead') });
    dead.on('error', () => undefined);
    h = await startHarness({ redis: dead });
    live = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    await live.close();
    // ioredis arms a 2 s timer to destroy a socket that never connected; let it run out.
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('fails closed for login and orders, open for sign-up and predictions', async () => {
    const signup = await request(h.app)
      .post('/api/auth/signup')
      .send({ email: `down-${Date.now()}@example.test`, password: PASSWORD });
    expect(signup.status).toBe(201);
    const res = await request(h.app)
      .post('/api/auth/login')
      .send({ email: signup.body.user.email, password: PASSWORD });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('RATE_LIMIT_UNAVAILABLE');

    const app = limitedApp(live.tokens, createRateLimits({ redis: dead, log }), {
      '/orders': ['orders', 10],
      '/predict': ['predictions', 30],
    });
    const a = await signUp(live.app);
    expect((await request(app).post('/orders').set(bearer(a))).status).toBe(503);
    expect((await request(app).post('/predict').set(bearer(a))).status).toBe(200);
  });

  it('follows a custom policy', async () => {
    const limits = createRateLimits({ redis: dead, log, failPolicy: { predictions: 'closed' } });
    const app = limitedApp(live.tokens, limits, { '/predict': ['predictions', 30] });
    const a = await signUp(live.app);
    expect((await request(app).post('/predict').set(bearer(a))).status).toBe(503);
  });
});
