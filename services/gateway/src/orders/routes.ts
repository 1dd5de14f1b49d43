import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { killSwitchBody, listOrdersQuery, placeOrderBody } from '@tickstream/contracts';
import type { Logger, Redis, prom } from '@tickstream/platform';
import { authOf, ConflictError, NotFoundError, parse, parseQuery, pathId } from '../request';
import { requireAuth, requireRole } from '../auth/middleware';
import type { TokenService } from '../auth/tokens';
import type { RateLimits } from '../ratelimit/limits';
import type { PublishCommand } from './place';
import { DEFAULT_SEND_TIMEOUT_MS, createOrderSender } from './place';
import { redisReservations } from './reservations';
import { placeSteps } from './steps';
import type { OrdersApi } from './service-client';

export type { PublishCommand } from './place';

export interface OrderRoutesDeps {
  /** The order service, which owns orders, positions and the kill switch. */
  orders: OrdersApi;
  redis: Redis;
  tokens: TokenService;
  limits: RateLimits;
  /** Absent (tests of other routes): placing and canceling answer 503 ORDERS_UNAVAILABLE. */
  publishCommand?: PublishCommand;
  /** Placing and canceling answer within about this long (ORDER_SEND_TIMEOUT_MS). Default 3000. */
  sendTimeoutMs?: number;
  /** Orders a user may place per minute at the edge (RATE_ORDERS_PER_MIN). Default ORDERS_PER_MINUTE. */
  perMinute?: number;
  log: Logger;
  metrics?: prom.Registry;
}

/**
 * Default orders per minute per user at the edge (RATE_ORDERS_PER_MIN): the seed's limit. The
 * order service enforces each account's own limit as well (risk limits).
 */
export const ORDERS_PER_MINUTE = 10;

/** Statuses of an order that can still be canceled. */
const OPEN_STATUSES: readonly string[] = ['ACCEPTED', 'NEW', 'PARTIALLY_FILLED'];

/** /orders, /positions, /account and the admin's /admin/kill-switch. */
export function orderRoutes(deps: OrderRoutesDeps): Router {
  const { orders, redis, log } = deps;
  const router = Router();
  const auth = requireAuth(deps.tokens);
  const steps = placeSteps(deps.metrics);

  const sender = createOrderSender({
    orders,
    reservations: redisReservations(redis),
    publishCommand: deps.publishCommand,
    sendTimeoutMs: deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    log,
    metrics: deps.metrics,
    steps,
  });

  router.post(
    '/orders',
    steps.timed('auth', auth),
    steps.timed('rate_limit', deps.limits.limitPerUser('orders', deps.perMinute ?? ORDERS_PER_MINUTE, 60)),
    async (req, res) => {
      const body = parse(placeOrderBody, req.body);
      const caller = authOf(req);
      const answer = await sender.place(
        { accountId: caller.userId, broker: caller.broker },
        {
          clientOrderId: body.client_order_id,
          symbol: body.symbol,
          side: body.side,
          qty: body.qty,
          type: body.type,
          timeInForce: body.time_in_force,
          limitPrice: body.limit_price,
          stopPrice: body.stop_price,
        },
      );
      res.status(answer.status).json(answer.body);
    },
  );

  router.get('/orders', auth, async (req, res) => {
    const q = parseQuery(listOrdersQuery, req.query);
    res.json(await orders.listOrders(authOf(req).userId, q.status, q.limit));
  });

  router.get('/orders/:id', auth, async (req, res) => {
    const order = await orders.getOrder(authOf(req).userId, pathId(req.params.id, 'order'));
    if (!order) throw new NotFoundError('order');
    res.json(order);
  });

  router.delete('/orders/:id', auth, async (req, res) => {
    const userId = authOf(req).userId;
    const order = await orders.getOrder(userId, pathId(req.params.id, 'order'));
    if (!order) throw new NotFoundError('order');
    if (!OPEN_STATUSES.includes(order.status))
      throw new ConflictError('ORDER_NOT_OPEN', `order is ${order.status} and cannot be canceled`);
    const commandId = randomUUID();
    // A 503 here is "unknown" too; canceling again is harmless (an order is canceled once).
    await sender.send({
      command_id: commandId,
      action: 'CANCEL',
      account_id: userId,
      order_id: order.orderId,
      client_order_id: order.clientOrderId,
      symbol: null,
      side: null,
      qty: null,
      order_type: null,
      time_in_force: null,
      limit_price: null,
      stop_price: null,
      broker: order.broker === 'ALPACA' ? 'ALPACA' : 'SIM',
      issued_at: Date.now(),
    });
    res.status(202).json({ order_id: order.orderId, command_id: commandId });
  });

  router.get('/positions', auth, async (req, res) => {
    res.json(await orders.listPositions(authOf(req).userId));
  });

  router.get('/account', auth, async (req, res) => {
    res.json(await orders.accountSummary(authOf(req).userId));
  });

  router.post('/admin/kill-switch', auth, requireRole('admin'), async (req, res) => {
    const { enabled } = parse(killSwitchBody, req.body);
    const admin = authOf(req).userId;
    const state = await orders.setKillSwitch(enabled, admin);
    log.warn({ adminId: admin, enabled }, 'kill switch changed');
    res.json(state);
  });

  return router;
}
