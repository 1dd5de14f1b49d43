import { randomBytes } from 'node:crypto';
import express from 'express';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Redis } from '@tickstream/platform';
import { createLogger } from '@tickstream/platform';
import { TEST_SECRETS } from '../../../../test/support/env';
import { createTokenService } from '../../src/auth';
import type { ApiDeps } from '../../src/http';
import { applySecurity, createApiRouter } from '../../src/http';
import { inferenceApi } from '../../src/ml';
import type { OrdersApi } from '../../src/orders';
import { ROOMY_LIMITS } from '../http/harness';

/**
 * The API as the gateway mounts it, for the order tests: their database, Redis and order service,
 * the platform's default risk limits, roomy rate limits, and `deps` (the command publisher at
 * least) over those. Inference and symbol demand are not asked by these tests.
 */
export function ordersTestApp(
  base: { db: Knex; redis: Redis; orders: OrdersApi; service: string },
  deps: Pick<ApiDeps, 'publishCommand'> & Partial<ApiDeps>,
): express.Express {
  const { db, redis } = base;
  const tokens = createTokenService({
    secret: TEST_SECRETS.JWT_SECRET,
    accessTtlSec: 900,
    refreshTtlSec: 3600,
    db,
  });
  const app = express();
  // Tests pick their client address with X-Forwarded-For, so per-IP limits never collide.
  app.set('trust proxy', true);
  applySecurity(app, { corsOrigins: [] });
  app.use(
    '/api',
    createApiRouter({
      db,
      redis,
      log: createLogger({ service: base.service, level: 'silent' }),
      tokens,
      masterKey: randomBytes(32),
      orders: base.orders,
      // Not asked by these tests: nothing listens there.
      inference: inferenceApi({ url: 'http://127.0.0.1:9', token: 'not-asked' }),
      publishDemand: async () => {},
      defaultRiskLimits: { ...DEFAULT_RISK_LIMITS },
      limits: ROOMY_LIMITS,
      ...deps,
    }),
  );
  return app;
}
