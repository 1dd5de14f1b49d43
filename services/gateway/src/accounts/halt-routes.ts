import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
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

const liftSchema = z
  .object({
    // Why the halt may go: it is kept in the audit next to who lifted it.
    reason: z.string().trim().min(1, 'say why the halt is lifted').max(500),
  })
  .strict();

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
    const { reason } = parse(liftSchema, req.body);
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
