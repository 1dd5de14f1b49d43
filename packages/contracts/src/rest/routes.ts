import { z } from 'zod/v4';
import { MAX_WATCHLISTS } from './fields';
import * as req from './requests';
import * as res from './responses';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone, a signed-in account, or an admin. */
export type Access = 'public' | 'user' | 'admin';

/** One operation of the gateway's REST API, relative to `/api`. */
export interface RestRoute {
  method: HttpMethod;
  /** With OpenAPI `{param}` placeholders; the Express router writes them `:param`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answer: without a schema it has no JSON body (204, or `contentType`). */
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /**
   * Errors beyond those every route of its kind has (400 with a body or query, 401 unless
   * public, 403 for admins), by status: the codes and when.
   */
  errors?: Record<number, string>;
}

const notFound = { 404: 'NOT_FOUND: absent, or not yours' };
const rateLimited = {
  429: 'RATE_LIMITED: see Retry-After',
  503: 'RATE_LIMIT_UNAVAILABLE: the limit store is down; retry shortly',
};

/**
 * Every route of the gateway's REST API: the one description the gateway's router is checked
 * against, its OpenAPI document is generated from, and the web client takes its types from.
 */
export const REST_ROUTES = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'meta',
    access: 'public',
    ok: { status: 200, description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
  },
  {
    method: 'post',
    path: '/auth/signup',
    summary: 'Create a trader account and start a session',
    tag: 'auth',
    access: 'public',
    body: req.signupBody,
    ok: { status: 201, description: 'account created', schema: res.sessionSchema },
    errors: { 409: 'EMAIL_TAKEN', 429: 'RATE_LIMITED: see Retry-After' },
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Start a session',
    tag: 'auth',
    access: 'public',
    body: req.loginBody,
    ok: { status: 200, description: 'logged in', schema: res.sessionSchema },
    errors: { 401: 'INVALID_CREDENTIALS', ...rateLimited },
  },
  {
    method: 'post',
    path: '/auth/refresh',
    summary: 'Rotate the refresh token; reusing a spent one revokes the session (REFRESH_REUSED)',
    tag: 'auth',
    access: 'public',
    body: req.refreshBody,
    ok: { status: 200, description: 'new tokens', schema: res.sessionSchema },
    errors: { 401: 'TOKEN_INVALID, TOKEN_EXPIRED or REFRESH_REUSED' },
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'End the session of this access token (revokes its refresh family)',
    tag: 'auth',
    access: 'user',
    ok: { status: 204, description: 'logged out' },
  },
  {
    method: 'get',
    path: '/me',
    summary: 'The account',
    tag: 'account',
    access: 'user',
    ok: { status: 200, description: 'the account', schema: res.userSchema },
  },
  {
    method: 'put',
    path: '/me/broker',
    summary: 'Choose the broker; ALPACA needs stored keys',
    tag: 'account',
    access: 'user',
    body: req.setBrokerBody,
    ok: { status: 200, description: 'the account', schema: res.userSchema },
    errors: { 409: 'BROKER_KEYS_REQUIRED' },
  },
  {
    method: 'get',
    path: '/risk-limits',
    summary: 'Effective risk limits of the account',
    tag: 'account',
    access: 'user',
    ok: { status: 200, description: 'limits', schema: res.effectiveRiskLimitsSchema },
  },
  {
    method: 'get',
    path: '/admin/risk-limits/{userId}',
    summary: 'Risk limits of an account (admin)',
    tag: 'admin',
    access: 'admin',
    ok: { status: 200, description: 'limits', schema: res.effectiveRiskLimitsSchema },
    errors: notFound,
  },
  {
    method: 'put',
    path: '/admin/risk-limits/{userId}',
    summary:
      "Replace the overrides of an account (admin); only keys of the order service's defaults, with their types",
    tag: 'admin',
    access: 'admin',
    body: req.defaultRiskLimitsBody,
    ok: { status: 200, description: 'limits', schema: res.effectiveRiskLimitsSchema },
    errors: notFound,
  },
  {
    method: 'get',
    path: '/admin/trading-halts',
    summary: 'Accounts whose trading is halted today by their daily loss limit (admin)',
    tag: 'admin',
    access: 'admin',
    ok: { status: 200, description: 'halts', schema: z.array(res.tradingHaltSchema) },
  },
  {
    method: 'get',
    path: '/admin/trading-halts/{userId}',
    summary: "An account's daily-loss halt today: since when, the limit breached, today's P&L (admin)",
    tag: 'admin',
    access: 'admin',
    ok: { status: 200, description: 'halt', schema: res.tradingHaltSchema },
    errors: notFound,
  },
  {
    method: 'post',
    path: '/admin/trading-halts/{userId}/lift',
    summary:
      "Lift today's halt (admin); audited with the reason. The limit stays: an account still beyond it halts again at its next order",
    tag: 'admin',
    access: 'admin',
    body: req.liftHaltBody,
    ok: { status: 200, description: 'halt after the lift', schema: res.tradingHaltSchema },
    errors: { ...notFound, 409: 'NOT_HALTED' },
  },
  {
    method: 'get',
    path: '/admin/risk-audit/{userId}',
    summary: "Admin changes to an account's risk controls, newest first (admin)",
    tag: 'admin',
    access: 'admin',
    ok: { status: 200, description: 'entries', schema: z.array(res.riskAuditEntrySchema) },
    errors: notFound,
  },
  {
    method: 'get',
    path: '/watchlists',
    summary: 'Your watchlists, ordered',
    tag: 'watchlists',
    access: 'user',
    ok: { status: 200, description: 'watchlists', schema: z.array(res.watchlistSchema) },
  },
  {
    method: 'post',
    path: '/watchlists',
    summary: `Create a watchlist (at most ${MAX_WATCHLISTS})`,
    tag: 'watchlists',
    access: 'user',
    body: req.createWatchlistBody,
    ok: { status: 201, description: 'created', schema: res.watchlistSchema },
    errors: { 409: 'NAME_TAKEN or LIMIT_REACHED' },
  },
  {
    method: 'get',
    path: '/watchlists/{id}',
    summary: 'One watchlist',
    tag: 'watchlists',
    access: 'user',
    ok: { status: 200, description: 'the watchlist', schema: res.watchlistSchema },
    errors: notFound,
  },
  {
    method: 'patch',
    path: '/watchlists/{id}',
    summary: 'Rename and/or move among your lists',
    tag: 'watchlists',
    access: 'user',
    body: req.patchWatchlistBody,
    ok: { status: 200, description: 'the watchlist', schema: res.watchlistSchema },
    errors: { ...notFound, 409: 'NAME_TAKEN' },
  },
  {
    method: 'delete',
    path: '/watchlists/{id}',
    summary: 'Delete a watchlist',
    tag: 'watchlists',
    access: 'user',
    ok: { status: 204, description: 'deleted' },
    errors: notFound,
  },
  {
    method: 'put',
    path: '/watchlists/{id}/symbols',
    summary: 'Replace the symbols, in order (add, remove, reorder at once)',
    tag: 'watchlists',
    access: 'user',
    body: req.replaceSymbolsBody,
    ok: { status: 200, description: 'the watchlist', schema: res.watchlistSchema },
    errors: notFound,
  },
  {
    method: 'post',
    path: '/watchlists/{id}/symbols',
    summary: 'Append a symbol (no change if present)',
    tag: 'watchlists',
    access: 'user',
    body: req.addSymbolBody,
    ok: { status: 200, description: 'the watchlist', schema: res.watchlistSchema },
    errors: { ...notFound, 409: 'LIMIT_REACHED' },
  },
  {
    method: 'delete',
    path: '/watchlists/{id}/symbols/{symbol}',
    summary: 'Remove a symbol',
    tag: 'watchlists',
    access: 'user',
    ok: { status: 200, description: 'the watchlist', schema: res.watchlistSchema },
    errors: notFound,
  },
  {
    method: 'put',
    path: '/broker-keys',
    summary:
      "Check Alpaca keys against the account they open (GET /v2/account, paper or live), then store them encrypted (AES-256-GCM), replacing earlier ones; the answer adds that account's status and buying power",
    tag: 'broker-keys',
    access: 'user',
    body: req.brokerKeysBody,
    ok: { status: 200, description: 'stored', schema: res.brokerKeysSavedSchema },
    errors: {
      400: 'VALIDATION_FAILED, or BROKER_KEYS_REJECTED: Alpaca refused the keys; nothing stored',
      503: 'BROKER_UNREACHABLE: Alpaca could not be asked; nothing stored, retry',
    },
  },
  {
    method: 'get',
    path: '/broker-keys',
    summary: 'Masked view of the stored keys; null when none are stored',
    tag: 'broker-keys',
    access: 'user',
    ok: { status: 200, description: 'masked keys, or null', schema: res.brokerKeysInfoSchema.nullable() },
  },
  {
    method: 'delete',
    path: '/broker-keys',
    summary: 'Delete the keys (an ALPACA account falls back to SIM)',
    tag: 'broker-keys',
    access: 'user',
    ok: { status: 204, description: 'deleted' },
    errors: notFound,
  },
  {
    method: 'post',
    path: '/orders',
    summary:
      'Place an order: validated here, risk-checked and executed by the order service; the outcome arrives as order events',
    tag: 'orders',
    access: 'user',
    body: req.placeOrderBody,
    ok: {
      status: 202,
      description:
        'command acknowledged by Kafka: placed (200 with duplicate: true when the client_order_id was placed before)',
      schema: res.orderAcceptedSchema,
    },
    errors: {
      409: 'CLIENT_ORDER_ID_REUSED: the client_order_id names an order with other terms',
      429: 'RATE_LIMITED: see Retry-After',
      503: 'ORDERS_UNAVAILABLE: not acknowledged within ORDER_SEND_TIMEOUT_MS, outcome unknown: retry with the same client_order_id (or RATE_LIMIT_UNAVAILABLE)',
    },
  },
  {
    method: 'get',
    path: '/orders',
    summary: 'Your orders, newest first, with fills',
    tag: 'orders',
    access: 'user',
    query: req.listOrdersQuery,
    ok: { status: 200, description: 'orders', schema: z.array(res.orderSchema) },
  },
  {
    method: 'get',
    path: '/orders/{id}',
    summary: 'One of your orders',
    tag: 'orders',
    access: 'user',
    ok: { status: 200, description: 'the order', schema: res.orderSchema },
    errors: notFound,
  },
  {
    method: 'delete',
    path: '/orders/{id}',
    summary: 'Cancel a working order (CANCELED follows as an order event)',
    tag: 'orders',
    access: 'user',
    ok: { status: 202, description: 'cancel sent', schema: res.cancelAcceptedSchema },
    errors: {
      ...notFound,
      409: 'ORDER_NOT_OPEN',
      503: 'ORDERS_UNAVAILABLE: not acknowledged in time, outcome unknown: canceling again is safe',
    },
  },
  {
    method: 'get',
    path: '/positions',
    summary: 'Open positions with unrealized P&L at the last known mark',
    tag: 'orders',
    access: 'user',
    ok: { status: 200, description: 'positions', schema: z.array(res.positionSchema) },
  },
  {
    method: 'get',
    path: '/account',
    summary: "Today's P&L, exposure and trading switches of the account",
    tag: 'orders',
    access: 'user',
    ok: { status: 200, description: 'summary', schema: res.accountSummarySchema },
  },
  {
    method: 'post',
    path: '/admin/kill-switch',
    summary: 'Turn the global kill switch on (cancel every open order, refuse new ones) or off (admin)',
    tag: 'admin',
    access: 'admin',
    body: req.killSwitchBody,
    ok: { status: 200, description: 'new state', schema: res.killSwitchStateSchema },
  },
  {
    method: 'post',
    path: '/ml/predict',
    summary:
      'Latest prediction per symbol (from the inference cache, or scored from the latest features); 30 per minute per user',
    tag: 'ml',
    access: 'user',
    body: req.predictBody,
    ok: { status: 200, description: 'predictions', schema: res.predictionsSchema },
    errors: { 429: 'RATE_LIMITED: see Retry-After', 503: 'INFERENCE_UNAVAILABLE: retry shortly' },
  },
  {
    method: 'get',
    path: '/ml/models/{version}',
    summary:
      "A model's walk-forward held-out accuracy against its two naive baselines, the registry's verdict, and the band of prob_up around 0.5 shown as NEUTRAL",
    tag: 'ml',
    access: 'user',
    ok: { status: 200, description: 'the model record', schema: res.modelInfoSchema },
    errors: notFound,
  },
  {
    method: 'get',
    path: '/admin/models/{version}/report',
    summary:
      "A model's evaluation and backtest as a self-contained HTML page (admin): verdict, held-out metrics, bootstrap intervals, equity curves per fold, calibration, feature importance",
    tag: 'admin',
    access: 'admin',
    ok: { status: 200, description: 'the report page', contentType: 'text/html' },
    errors: notFound,
  },
] as const satisfies readonly RestRoute[];
