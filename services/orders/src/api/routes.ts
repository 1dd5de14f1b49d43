import express from 'express';
import type { ErrorRequestHandler, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DEFAULT_RISK_LIMITS, GLOBAL_CONTROLS_ID } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { TickstreamError, requireServiceToken } from '@tickstream/platform';
import { accountSummary, listPositions, setKillSwitch } from './account';
import { ApiError } from './errors';
import { getOrder, listOrders, orderByClientId } from './orders';
import { listHalts, listRiskAudit, liftHalt, readHalt, readRiskLimits, writeRiskLimits } from './risk';

export interface InternalApiDeps {
  db: Knex;
  log: Logger;
  /** ORDERS_SERVICE_TOKEN: every request must carry it as a bearer token. */
  serviceToken: string;
  /** Default risk limits; DEFAULT_RISK_LIMITS (tests use their own). */
  defaults?: Record<string, unknown>;
  /** Row of trading_controls holding the kill switch; GLOBAL_CONTROLS_ID (tests use their own). */
  controlsId?: string;
}

/** The path every route of the internal API is under. */
export const INTERNAL_API_PATH = '/internal/v1';

/**
 * How long the server keeps an idle connection: longer than the gateway's client keeps one
 * (60 s), so the gateway, not this side, closes it, and a connection is never closed under a
 * request just written to it. Node's default, 5 s, meant a new connection for most lookups of a
 * client order id at a trader's pace.
 */
export const INTERNAL_KEEP_ALIVE_MS = 65_000;

const uuid = z.string().uuid();
const listQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const limitValue = z.union([z.number().finite(), z.boolean(), z.array(z.string())]);
const limitsBody = z.object({ overrides: z.record(limitValue), adminId: uuid }).strict();
const liftBody = z.object({ reason: z.string().min(1).max(500), adminId: uuid }).strict();
const killBody = z.object({ enabled: z.boolean(), adminId: uuid }).strict();

function parsed<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'BAD_REQUEST', r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

/**
 * The order service's internal query and command API, which the gateway calls instead of
 * reading and writing this service's tables (docs/ARCHITECTURE.md, "Who owns which table").
 * JSON in and out; errors are `{ code, message }` (as the REST API's) with 400, 401, 404 or 409, and 500
 * for anything else (its detail is logged, not answered). The user's own authentication is the
 * gateway's: a request names the account it is about.
 */
export function internalApi(deps: InternalApiDeps): Router {
  const { db, log } = deps;
  const defaults = deps.defaults ?? { ...DEFAULT_RISK_LIMITS };
  const controlsId = deps.controlsId ?? GLOBAL_CONTROLS_ID;
  const router = express.Router();
  router.use(requireServiceToken(deps.serviceToken), express.json({ limit: '64kb' }));
  const account = (id: string | undefined) => parsed(uuid, id);

  router.get('/accounts/:accountId/orders', async (req, res) => {
    const q = parsed(listQuery, req.query);
    res.json(await listOrders(db, account(req.params.accountId), q.status, q.limit));
  });
  router.get('/accounts/:accountId/orders/:orderId', async (req, res) => {
    const order = await getOrder(db, account(req.params.accountId), parsed(uuid, req.params.orderId));
    if (!order) throw new ApiError(404, 'NOT_FOUND', 'order not found');
    res.json(order);
  });
  router.get('/accounts/:accountId/client-orders/:clientOrderId', async (req, res) => {
    const order = await orderByClientId(db, account(req.params.accountId), req.params.clientOrderId);
    if (!order) throw new ApiError(404, 'NOT_FOUND', 'order not found');
    res.json(order);
  });
  router.get('/accounts/:accountId/positions', async (req, res) => {
    res.json(await listPositions(db, account(req.params.accountId)));
  });
  router.get('/accounts/:accountId/summary', async (req, res) => {
    res.json(await accountSummary(db, account(req.params.accountId), defaults, controlsId));
  });
  router.get('/accounts/:accountId/risk-limits', async (req, res) => {
    res.json(await readRiskLimits(db, account(req.params.accountId), defaults));
  });
  router.put('/accounts/:accountId/risk-limits', async (req, res) => {
    const id = account(req.params.accountId);
    const body = parsed(limitsBody, req.body);
    await writeRiskLimits(db, id, body.overrides, body.adminId);
    res.json(await readRiskLimits(db, id, defaults));
  });
  router.get('/accounts/:accountId/risk-audit', async (req, res) => {
    res.json(await listRiskAudit(db, account(req.params.accountId)));
  });
  router.get('/accounts/:accountId/halt', async (req, res) => {
    res.json(await readHalt(db, account(req.params.accountId), defaults));
  });
  router.post('/accounts/:accountId/halt/lift', async (req, res) => {
    const body = parsed(liftBody, req.body);
    res.json(await liftHalt(db, { accountId: account(req.params.accountId), ...body }, defaults));
  });
  router.get('/halts', async (_req, res) => {
    res.json(await listHalts(db, defaults));
  });
  router.put('/kill-switch', async (req, res) => {
    const body = parsed(killBody, req.body);
    res.json(await setKillSwitch(db, controlsId, body.enabled, body.adminId));
  });

  router.use((_req, _res, next) => next(new ApiError(404, 'NOT_FOUND', 'no such internal route')));
  const answerError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ code: err.code, message: err.message });
      return;
    }
    // express.json's own errors (malformed or too large bodies) carry their status.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ code: 'BAD_REQUEST', message: 'unreadable request body' });
      return;
    }
    log.error({ err }, 'internal API request failed');
    const code = err instanceof TickstreamError ? err.code : 'INTERNAL';
    res.status(500).json({ code, message: 'the order service failed to answer' });
  };
  router.use(answerError);
  return router;
}
