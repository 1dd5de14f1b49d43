import { Router } from 'express';
import type { Knex } from 'knex';
import { riskLimitsBody, setBrokerBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { authOf, parse, pathId } from '../request';
import { getUser, setBroker, toPublicUser } from '../users';
import { requireAuth, requireRole } from '../auth/middleware';
import type { TokenService } from '../auth/tokens';
import type { OrdersApi } from '../orders/service-client';
import { haltRoutes } from './halt-routes';

export interface AccountRoutesDeps {
  db: Knex;
  tokens: TokenService;
  log: Logger;
  /** The order service, which owns risk limits, halts and the risk audit. */
  orders: OrdersApi;
  /** The order service's defaults; their keys and value types bound what an admin may set. */
  defaultRiskLimits: Record<string, unknown>;
}

/**
 * /me, /me/broker, /risk-limits and the admin's /admin/risk-limits/:userId, plus the admin's
 * trading halts and risk audit (halt-routes.ts).
 */
export function accountRoutes(deps: AccountRoutesDeps): Router {
  const { db, log, orders, defaultRiskLimits } = deps;
  const router = Router();
  const auth = requireAuth(deps.tokens);
  const limitsBody = riskLimitsBody(defaultRiskLimits);

  router.get('/me', auth, async (req, res) => {
    res.json(toPublicUser(await getUser(db, authOf(req).userId)));
  });

  router.put('/me/broker', auth, async (req, res) => {
    const { broker } = parse(setBrokerBody, req.body);
    res.json(toPublicUser(await setBroker(db, authOf(req).userId, broker)));
  });

  router.get('/risk-limits', auth, async (req, res) => {
    res.json(await orders.readRiskLimits(authOf(req).userId));
  });

  router.get('/admin/risk-limits/:userId', auth, requireRole('admin'), async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    await getUser(db, userId);
    res.json(await orders.readRiskLimits(userId));
  });

  router.put('/admin/risk-limits/:userId', auth, requireRole('admin'), async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    const { limits } = parse(limitsBody, req.body);
    await getUser(db, userId);
    const admin = authOf(req).userId;
    const now = await orders.writeRiskLimits(userId, limits, admin);
    log.info({ userId, adminId: admin, keys: Object.keys(limits) }, 'risk limits changed');
    res.json(now);
  });

  router.use(haltRoutes({ db, log, auth, orders }));

  return router;
}
