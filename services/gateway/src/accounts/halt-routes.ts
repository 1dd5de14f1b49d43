import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { liftHaltBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { authOf, parse, pathId } from '../request';
import { getUser } from '../users';
import { requireRole } from '../auth/middleware';
import { listRiskAudit } from './audit';
import { liftHalt, listHalts, readHalt } from './halts';

export interface HaltRoutesDeps {
  db: Knex;
  log: Logger;
  /** The authentication middleware of the account routes. */
  auth: RequestHandler;
  defaultRiskLimits: Record<string, unknown>;
}

/** The admin's view of daily-loss halts, the lift, and the risk audit of an account. */
export function haltRoutes(deps: HaltRoutesDeps): Router {
  const { db, log, auth, defaultRiskLimits } = deps;
  const router = Router();
  const admin = [auth, requireRole('admin')];

  router.get('/admin/trading-halts', ...admin, async (_req, res) => {
    res.json(await listHalts(db, defaultRiskLimits));
  });

  router.get('/admin/trading-halts/:userId', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    await getUser(db, userId);
    res.json(await readHalt(db, userId, defaultRiskLimits));
  });

  router.post('/admin/trading-halts/:userId/lift', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    const { reason } = parse(liftHaltBody, req.body);
    await getUser(db, userId);
    const adminId = authOf(req).userId;
    const view = await liftHalt(db, { userId, adminId, reason }, defaultRiskLimits);
    log.warn({ userId, adminId }, 'daily-loss halt lifted');
    res.json(view);
  });

  router.get('/admin/risk-audit/:userId', ...admin, async (req, res) => {
    const userId = pathId(req.params.userId, 'user');
    await getUser(db, userId);
    res.json(await listRiskAudit(db, userId));
  });

  return router;
}
