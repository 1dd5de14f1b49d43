import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { DEFAULT_SIGNAL_BAND } from '@tickstream/contracts';
import type { Logger, Redis } from '@tickstream/platform';
import { prom } from '@tickstream/platform';
import { accountRoutes } from '../accounts/routes';
import { authRoutes } from '../auth/routes';
import type { TokenService } from '../auth/tokens';
import type { AlpacaEndpoints } from '../broker-keys/alpaca-account';
import { brokerKeyRoutes } from '../broker-keys/routes';
import type { PublishCommand } from '../orders/routes';
import { orderRoutes } from '../orders/routes';
import type { OrdersApi } from '../orders/service-client';
import type { RateLimits } from '../ratelimit/limits';
import { createRateLimits } from '../ratelimit/limits';
import type { RateLimitSettings } from '../ratelimit/policy';
import { DEFAULT_RATE_LIMITS } from '../ratelimit/policy';
import type { PublishDemand } from '../watchlists/demand';
import type { WatchlistsChanged } from '../watchlists/routes';
import { watchlistRoutes } from '../watchlists/routes';
import type { InferenceApi } from '../ml';
import { mlRoutes } from '../ml';
import { errorHandler, notFoundHandler } from './error-handler';
import { openApiDocument } from './openapi';
import { jsonBody, noStore } from './security';

export interface ApiDeps {
  db: Knex;
  redis: Redis;
  log: Logger;
  tokens: TokenService;
  /** 32-byte key sealing broker credentials (BROKER_KEYS_MASTER_KEY, see parseMasterKey). */
  masterKey: Buffer;
  /** Alpaca's trading APIs, where stored keys are checked (GET /v2/account); absent, keys are stored unchecked. */
  alpaca?: AlpacaEndpoints;
  /** Called with the new demand of symbols whose watchlist membership changed. */
  publishDemand: PublishDemand;
  /** Told after each watchlist change, to stop the streams of removed symbols on open sockets. */
  onWatchlistsChanged?: WatchlistsChanged;
  /** The order service's internal API: orders, positions, risk limits, halts, the kill switch. */
  orders: OrdersApi;
  /** Sends order commands to orders.commands.v1 (key = account id). */
  publishCommand?: PublishCommand;
  /** POST and DELETE /orders answer within about this long (ORDER_SEND_TIMEOUT_MS). Default 3000. */
  orderSendTimeoutMs?: number;
  /** The order service's default risk limits; admins may override their keys per account. */
  defaultRiskLimits: Record<string, unknown>;
  /** Login and sign-up limits; DEFAULT_RATE_LIMITS when absent. */
  limits?: RateLimitSettings;
  /** Pass the instance your own routes use so limits with one name share their budget. */
  rateLimits?: RateLimits;
  metrics?: prom.Registry;
  /** The inference service: /ml/predict and the model registry (GET /ml/models/:version, the admin's report page). */
  inference: InferenceApi;
  /** prob_up within 0.5 +/- this reads as NEUTRAL. Default DEFAULT_SIGNAL_BAND (0.05). */
  signalBand?: number;
  /** Per-user limit of POST /orders (RATE_ORDERS_PER_MIN). Default ORDERS_PER_MINUTE (10). */
  ordersPerMinute?: number;
  /** Per-user limit of /ml/predict. Default 30. */
  predictionsPerMinute?: number;
  /** Largest JSON body accepted, bytes; larger answers 413. Default 16 KiB. */
  bodyLimitBytes?: number;
}

function requestMetrics(registry: prom.Registry): RequestHandler {
  const duration = new prom.Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'REST API requests by route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    // The route template, never the raw path: ids in paths would explode the label set.
    res.on('finish', () =>
      end({
        method: req.method,
        route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched',
        status: res.statusCode,
      }),
    );
    next();
  };
}

/**
 * The REST API as one router, to be mounted at `/api` after `applySecurity`. Routes: auth,
 * account, risk limits, watchlists, broker keys, and the OpenAPI document at /openapi.json.
 * Errors of these routes are answered by the API's own error middleware.
 *
 * @example
 *   const tokens = createTokenService({ secret, accessTtlSec: 900, refreshTtlSec: 2592000, db });
 *   app.use('/api', createApiRouter({ db, orders, inference, redis, log, tokens, masterKey, publishDemand, defaultRiskLimits }));
 */
export function createApiRouter(deps: ApiDeps): Router {
  const { db, log, tokens } = deps;
  const settings = deps.limits ?? DEFAULT_RATE_LIMITS;
  const limits =
    deps.rateLimits ?? createRateLimits({ redis: deps.redis, log, settings, metrics: deps.metrics });
  const router = Router();

  router.use(noStore, jsonBody(deps.bodyLimitBytes ?? 16 * 1024));
  if (deps.metrics) router.use(requestMetrics(deps.metrics));

  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });

  router.use(authRoutes({ db, tokens, limits, settings, log }));
  router.use(
    accountRoutes({ db, tokens, log, orders: deps.orders, defaultRiskLimits: deps.defaultRiskLimits }),
  );
  router.use(
    watchlistRoutes({
      db,
      tokens,
      publishDemand: deps.publishDemand,
      log,
      onChange: deps.onWatchlistsChanged,
    }),
  );
  router.use(brokerKeyRoutes({ db, tokens, masterKey: deps.masterKey, log, alpaca: deps.alpaca }));
  router.use(
    orderRoutes({
      orders: deps.orders,
      redis: deps.redis,
      tokens,
      limits,
      publishCommand: deps.publishCommand,
      sendTimeoutMs: deps.orderSendTimeoutMs,
      perMinute: deps.ordersPerMinute,
      log,
      metrics: deps.metrics,
    }),
  );
  router.use(
    mlRoutes({
      inference: deps.inference,
      signalBand: deps.signalBand ?? DEFAULT_SIGNAL_BAND,
      tokens,
      limits,
      perMinute: deps.predictionsPerMinute ?? 30,
    }),
  );

  router.use(notFoundHandler);
  router.use(errorHandler(log));
  return router;
}
