import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createDatabase, createLogger, createRedis } from '@tickstream/platform';
import { TEST_ENV, TEST_SECRETS, uniquePrefix } from '../../../../test/support/env';
import { createTokenService } from '../../src/auth';
import type { ApiDeps } from '../../src/http';
import { createGatewayApp } from '../../src/http';
import { inferenceApi } from '../../src/ml';
import { ordersApi } from '../../src/orders';

describe('createGatewayApp', () => {
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 1 });
  const redis = createRedis(TEST_ENV.REDIS_URL, { keyPrefix: uniquePrefix('gw-app') });
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-web-'));
  const api: ApiDeps = {
    db,
    redis,
    log: createLogger({ service: 'gateway-test', level: 'silent' }),
    tokens: createTokenService({
      secret: TEST_SECRETS.JWT_SECRET,
      accessTtlSec: 900,
      refreshTtlSec: 3600,
      db,
    }),
    masterKey: Buffer.alloc(32, 7),
    // Not asked by these tests: nothing listens there.
    orders: ordersApi({ url: 'http://127.0.0.1:9', token: 'not-asked' }),
    inference: inferenceApi({ url: 'http://127.0.0.1:9', token: 'not-asked' }),
    defaultRiskLimits: { maxOrderQty: 1, maxOrderNotional: 1, tradingEnabled: true, deniedSymbols: [] },
    publishDemand: async () => undefined,
  };

  afterAll(async () => {
    redis.disconnect();
    await db.destroy();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves the API under /api and the built web client at /', async () => {
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Tickstream</title>');
    const app = createGatewayApp({ corsOrigins: [], api, webDist: dist });
    expect((await request(app).get('/api/openapi.json')).status).toBe(200);
    const page = await request(app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Tickstream</title>');
    expect(page.headers['x-powered-by']).toBeUndefined();
  });

  it('says the web client is not built when its directory is missing', async () => {
    const app = createGatewayApp({ corsOrigins: [], api, webDist: path.join(dist, 'missing') });
    const page = await request(app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/web client is not built yet/);
  });
});
