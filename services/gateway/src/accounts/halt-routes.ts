import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { liftHaltBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { authOf, parse, pathId } from '../request';
import { getUser } from '../users';
import { requireRole } from '../auth/middleware';
import type { OrdersApi } from '../orders/service-client';

export interface HaltRoutesDeps {
  db: Knex;
  log: Logger;
  /** The authentication middleware of the account routes. */
  auth: RequestHandler;
  /** The order service, which keeps the halts and the audit. */
  orders: OrdersApi;
}

/** The admin's view of daily-loss halts, the lift, and the risk audit of an account. */
export function haltRoutes(deps: HaltRoutesDeps): Router {
  const { db, log, auth, orders } = deps;
  const router = Router();
  const admin = [auth, requireRole('admin')];

  router.get('/admin/trading-halts', ...admin, async (_req, res) => {
    res.json(await orders.listHalts());
  });

  router.get('/admin/trading-halts/:userId', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    await getUser(db, userId);
    res.json(await orders.readHalt(userId));
  });

  router.post('/admin/trading-halts/:userId/lift', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    const { reason } = parse(liftHaltBody, req.body);
    await getUser(db, userId);
    const adminId = authOf(req).userId;
    const view = await orders.liftHalt(userId, adminId, reason);
    log.warn({ userId, adminId }, 'daily-loss halt lifted');
    res.json(view);
  });

  router.get('/admin/risk-audit/:userId', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    await getUser(db, userId);
    res.json(await orders.listRiskAudit(userId));
  });

  return router;
}
