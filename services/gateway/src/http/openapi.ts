import { SYMBOL_PATTERN } from '@tickstream/contracts';
import { MAX_SYMBOLS, MAX_WATCHLISTS } from '../watchlists/store';

// Hand-written, kept honest by a test that compares it with the routes the router registers.

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });

const bearer = [{ bearerAuth: [] }];
const stdErrors = {
  '400': error('invalid input (see details)'),
  '401': error('missing, invalid or expired access token'),
};

interface Op {
  summary: string;
  tag: string;
  auth?: boolean;
  body?: Schema;
  ok?: [status: string, description: string, schema?: Schema];
  errors?: Record<string, ReturnType<typeof error>>;
  params?: string[];
}

function op(o: Op): Schema {
  const [status, description, schema] = o.ok ?? ['200', 'OK'];
  const parameters = (o.params ?? []).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  return {
    summary: o.summary,
    tags: [o.tag],
    ...(o.auth === false ? { security: [] } : { security: bearer }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(o.body ? { requestBody: { required: true, ...json(o.body) } } : {}),
    responses: {
      [status]: schema ? { description, ...json(schema) } : { description },
      ...stdErrors,
      ...(o.errors ?? {}),
    },
  };
}

const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const symbol = str({
  pattern: SYMBOL_PATTERN.source,
  description: 'ticker symbol; lower case is upper-cased',
});
const name = str({ minLength: 1, maxLength: 64, description: 'trimmed; stored verbatim' });

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: str({
        description: 'stable machine-readable code, e.g. VALIDATION_FAILED, TOKEN_EXPIRED, RATE_LIMITED',
      }),
      message: str(),
      details: { type: 'array', items: obj({ path: str(), message: str() }) },
      retryAfterSec: { type: 'integer', description: 'with RATE_LIMITED, as the Retry-After header' },
    },
  },
  User: obj({
    id: str({ format: 'uuid' }),
    email: str({ format: 'email' }),
    displayName: { type: ['string', 'null'] },
    role: { enum: ['trader', 'admin'] },
    broker: { enum: ['SIM', 'ALPACA'] },
    createdAt: str({ format: 'date-time' }),
  }),
  Session: obj({
    accessToken: str({ description: 'JWT HS256; claims sub, role, sid' }),
    refreshToken: str({ description: 'opaque, single use: each refresh returns a new one' }),
    expiresIn: { type: 'integer', description: 'access token lifetime, seconds' },
    user: ref('User'),
  }),
  Watchlist: obj({
    id: str({ format: 'uuid' }),
    name,
    position: { type: 'integer', minimum: 0 },
    symbols: { type: 'array', items: symbol, maxItems: MAX_SYMBOLS },
    createdAt: str({ format: 'date-time' }),
  }),
  BrokerKeysInfo: obj({
    keyIdMasked: str({ examples: ['PK****WXYZ'] }),
    paper: { type: 'boolean' },
    updatedAt: str({ format: 'date-time' }),
  }),
  ModelInfo: obj({
    version: str(),
    horizonBars: { type: 'integer' },
    heldOut: {
      type: 'object',
      description:
        'rows, model {accuracy, balancedAccuracy}, baselines {majority, previousDirection} (same fields), pooled over the folds',
    },
    beatsBaselines: { type: 'boolean' },
    signalBand: { type: 'number', minimum: 0, maximum: 0.5 },
  }),
  RiskLimits: obj({
    limits: { type: 'object', description: 'effective limits: defaults with overrides applied' },
    overrides: { type: 'object', description: 'values set for this account by an admin' },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  }),
};

const num = (extra: Schema = {}): Schema => ({ type: 'number', ...extra });
const nullableNum = { type: ['number', 'null'] };
const nullableStr = { type: ['string', 'null'] };
const orderSchemas: Record<string, Schema> = {
  PlaceOrder: obj(
    {
      client_order_id: str({
        pattern: '^[A-Za-z0-9._:-]{1,64}$',
        description: 'idempotency key, unique per account; generated when absent',
      }),
      symbol,
      side: { enum: ['BUY', 'SELL'] },
      qty: num({
        exclusiveMinimum: 0,
        description: 'shares; fractional only for ALPACA accounts on MARKET DAY orders',
      }),
      type: { enum: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'] },
      time_in_force: { enum: ['DAY', 'GTC', 'IOC', 'FOK'], default: 'DAY' },
      limit_price: num({ exclusiveMinimum: 0, description: 'LIMIT and STOP_LIMIT only' }),
      stop_price: num({ exclusiveMinimum: 0, description: 'STOP and STOP_LIMIT only' }),
    },
    ['symbol', 'side', 'qty', 'type'],
  ),
  OrderAccepted: obj(
    {
      order_id: str({ format: 'uuid' }),
      client_order_id: str(),
      command_id: str({ format: 'uuid' }),
      duplicate: {
        type: 'boolean',
        description: 'true when the client_order_id was already used: the first order is answered',
      },
    },
    ['order_id', 'client_order_id', 'command_id'],
  ),
  Order: obj({
    orderId: str({ format: 'uuid' }),
    clientOrderId: str(),
    symbol: nullableStr,
    side: nullableStr,
    qty: nullableNum,
    type: nullableStr,
    timeInForce: nullableStr,
    limitPrice: nullableNum,
    stopPrice: nullableNum,
    broker: { enum: ['SIM', 'ALPACA'] },
    status: { enum: ['ACCEPTED', 'REJECTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'] },
    filledQty: num(),
    avgFillPrice: nullableNum,
    reasonCode: {
      ...nullableStr,
      description: 'REJECTED/CANCELED/EXPIRED: stable code, e.g. MAX_ORDER_NOTIONAL (see docs/API.md)',
    },
    reason: nullableStr,
    createdAt: str({ format: 'date-time' }),
    updatedAt: str({ format: 'date-time' }),
    fills: {
      type: 'array',
      items: obj({ qty: num(), price: num(), filledAt: str({ format: 'date-time' }) }),
    },
  }),
  Position: obj({
    symbol,
    qty: num(),
    avgPrice: num(),
    realizedPnl: num(),
    markPrice: nullableNum,
    unrealizedPnl: nullableNum,
    marketValue: nullableNum,
  }),
  AccountSummary: obj({
    realizedToday: num(),
    unrealized: num(),
    grossExposure: num(),
    openOrders: { type: 'integer' },
    tradingEnabled: { type: 'boolean' },
    haltedForDay: { type: 'boolean' },
    killSwitch: { type: 'boolean' },
  }),
};
Object.assign(schemas, orderSchemas);

const usd = (description: string): Schema => ({
  type: 'number',
  description: `${description}; USD, rounded to the cent`,
});
const nullableUsd = (description: string): Schema => ({ ...usd(description), type: ['number', 'null'] });
const riskSchemas: Record<string, Schema> = {
  TradingHalt: obj({
    userId: str({ format: 'uuid' }),
    tradingDay: str({ description: 'today, YYYY-MM-DD in New York' }),
    halted: { type: 'boolean' },
    haltedAt: { type: ['string', 'null'], format: 'date-time' },
    breachedLimit: nullableUsd('the daily loss limit in force when trading halted'),
    pnlAtHalt: nullableUsd("today's P&L that breached it"),
    dailyLossLimit: nullableUsd('the limit in force now'),
    realizedToday: usd("realized by today's fills"),
    unrealized: usd('open positions at the last marks'),
    dayPnl: usd('realized plus unrealized'),
    lastLift: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: { at: str({ format: 'date-time' }), by: nullableStr, reason: str() },
      required: ['at', 'by', 'reason'],
    },
  }),
  RiskAuditEntry: obj({
    id: str(),
    at: str({ format: 'date-time' }),
    adminId: nullableStr,
    accountId: str({ format: 'uuid' }),
    action: { enum: ['RISK_LIMITS_CHANGED', 'HALT_LIFTED'] },
    reason: nullableStr,
    details: {
      type: 'object',
      description: 'RISK_LIMITS_CHANGED: {before, after}; HALT_LIFTED: the halt lifted',
    },
  }),
};
Object.assign(schemas, riskSchemas);

const tooMany = {
  '429': error('rate limited; see Retry-After'),
  '503': error('RATE_LIMIT_UNAVAILABLE: the limit store is down'),
};
const notFound = { '404': error('not found, or not yours') };
const conflict = (what: string) => ({ '409': error(what) });
const credentials = obj({
  email: str({ format: 'email', maxLength: 254 }),
  password: str({ minLength: 10, maxLength: 128 }),
});

const paths: Record<string, Record<string, Schema>> = {
  '/openapi.json': {
    get: op({
      summary: 'This document',
      tag: 'meta',
      auth: false,
      ok: ['200', 'OpenAPI 3.1 document', { type: 'object' }],
    }),
  },
  '/auth/signup': {
    post: op({
      summary: 'Create a trader account and start a session',
      tag: 'auth',
      auth: false,
      body: {
        ...credentials,
        properties: { ...(credentials.properties as Schema), displayName: str({ maxLength: 80 }) },
      },
      ok: ['201', 'account created', ref('Session')],
      errors: { ...conflict('EMAIL_TAKEN'), ...tooMany },
    }),
  },
  '/auth/login': {
    post: op({
      summary: 'Start a session',
      tag: 'auth',
      auth: false,
      body: credentials,
      ok: ['200', 'logged in', ref('Session')],
      errors: tooMany,
    }),
  },
  '/auth/refresh': {
    post: op({
      summary: 'Rotate the refresh token; reusing a spent one revokes the session (REFRESH_REUSED)',
      tag: 'auth',
      auth: false,
      body: obj({ refreshToken: str() }),
      ok: ['200', 'new tokens', ref('Session')],
    }),
  },
  '/auth/logout': {
    post: op({
      summary: 'End the session of this access token (revokes its refresh family)',
      tag: 'auth',
      ok: ['204', 'logged out'],
    }),
  },
  '/me': { get: op({ summary: 'The account', tag: 'account', ok: ['200', 'the account', ref('User')] }) },
  '/me/broker': {
    put: op({
      summary: 'Choose the broker; ALPACA needs stored keys',
      tag: 'account',
      body: obj({ broker: { enum: ['SIM', 'ALPACA'] } }),
      ok: ['200', 'the account', ref('User')],
      errors: conflict('BROKER_KEYS_REQUIRED'),
    }),
  },
  '/risk-limits': {
    get: op({
      summary: 'Effective risk limits of the account',
      tag: 'account',
      ok: ['200', 'limits', ref('RiskLimits')],
    }),
  },
  '/admin/risk-limits/{userId}': {
    get: op({
      summary: 'Risk limits of an account (admin)',
      tag: 'admin',
      params: ['userId'],
      ok: ['200', 'limits', ref('RiskLimits')],
      errors: { '403': error('not an admin'), ...notFound },
    }),
    put: op({
      summary: 'Replace the overrides of an account (admin); only keys of the defaults, with their types',
      tag: 'admin',
      params: ['userId'],
      body: obj({ limits: { type: 'object' } }),
      ok: ['200', 'limits', ref('RiskLimits')],
      errors: { '403': error('not an admin'), ...notFound },
    }),
  },
  '/admin/trading-halts': {
    get: op({
      summary: 'Accounts whose trading is halted today by their daily loss limit (admin)',
      tag: 'admin',
      ok: ['200', 'halts', { type: 'array', items: ref('TradingHalt') }],
      errors: { '403': error('not an admin') },
    }),
  },
  '/admin/trading-halts/{userId}': {
    get: op({
      summary: "An account's daily-loss halt today: since when, the limit breached, today's P&L (admin)",
      tag: 'admin',
      params: ['userId'],
      ok: ['200', 'halt', ref('TradingHalt')],
      errors: { '403': error('not an admin'), ...notFound },
    }),
  },
  '/admin/trading-halts/{userId}/lift': {
    post: op({
      summary:
        "Lift today's halt (admin); audited with the reason. The limit stays: an account still beyond it halts again at its next order",
      tag: 'admin',
      params: ['userId'],
      body: obj({ reason: str({ minLength: 1, maxLength: 500 }) }),
      ok: ['200', 'halt after the lift', ref('TradingHalt')],
      errors: { '403': error('not an admin'), ...notFound, ...conflict('NOT_HALTED') },
    }),
  },
  '/admin/risk-audit/{userId}': {
    get: op({
      summary: "Admin changes to an account's risk controls, newest first (admin)",
      tag: 'admin',
      params: ['userId'],
      ok: ['200', 'entries', { type: 'array', items: ref('RiskAuditEntry') }],
      errors: { '403': error('not an admin'), ...notFound },
    }),
  },
  '/watchlists': {
    get: op({
      summary: 'Your watchlists, ordered',
      tag: 'watchlists',
      ok: ['200', 'watchlists', { type: 'array', items: ref('Watchlist') }],
    }),
    post: op({
      summary: `Create a watchlist (at most ${MAX_WATCHLISTS})`,
      tag: 'watchlists',
      body: obj({ name, symbols: { type: 'array', items: symbol, maxItems: MAX_SYMBOLS } }, ['name']),
      ok: ['201', 'created', ref('Watchlist')],
      errors: conflict('NAME_TAKEN or LIMIT_REACHED'),
    }),
  },
  '/watchlists/{id}': {
    get: op({
      summary: 'One watchlist',
      tag: 'watchlists',
      params: ['id'],
      ok: ['200', 'the watchlist', ref('Watchlist')],
      errors: notFound,
    }),
    patch: op({
      summary: 'Rename and/or move among your lists',
      tag: 'watchlists',
      params: ['id'],
      body: obj({ name, position: { type: 'integer', minimum: 0 } }, []),
      ok: ['200', 'the watchlist', ref('Watchlist')],
      errors: { ...notFound, ...conflict('NAME_TAKEN') },
    }),
    delete: op({
      summary: 'Delete a watchlist',
      tag: 'watchlists',
      params: ['id'],
      ok: ['204', 'deleted'],
      errors: notFound,
    }),
  },
  '/watchlists/{id}/symbols': {
    put: op({
      summary: 'Replace the symbols, in order (add, remove, reorder at once)',
      tag: 'watchlists',
      params: ['id'],
      body: obj({ symbols: { type: 'array', items: symbol, maxItems: MAX_SYMBOLS } }),
      ok: ['200', 'the watchlist', ref('Watchlist')],
      errors: notFound,
    }),
    post: op({
      summary: 'Append a symbol (no change if present)',
      tag: 'watchlists',
      params: ['id'],
      body: obj({ symbol }),
      ok: ['200', 'the watchlist', ref('Watchlist')],
      errors: { ...notFound, ...conflict('LIMIT_REACHED') },
    }),
  },
  '/watchlists/{id}/symbols/{symbol}': {
    delete: op({
      summary: 'Remove a symbol',
      tag: 'watchlists',
      params: ['id', 'symbol'],
      ok: ['200', 'the watchlist', ref('Watchlist')],
      errors: notFound,
    }),
  },
  '/broker-keys': {
    put: op({
      summary:
        "Check Alpaca keys against the account they open (GET /v2/account, paper or live), then store them encrypted (AES-256-GCM), replacing earlier ones; the answer adds that account's status and buying power",
      tag: 'broker-keys',
      body: obj(
        {
          keyId: str({ pattern: '^[A-Za-z0-9]{10,64}$' }),
          secretKey: str({ minLength: 16, maxLength: 128, writeOnly: true }),
          paper: { type: 'boolean', default: true },
        },
        ['keyId', 'secretKey'],
      ),
      ok: ['200', 'stored', ref('BrokerKeysInfo')],
      errors: {
        '400': error('BROKER_KEYS_REJECTED: Alpaca refused the keys; nothing stored'),
        '503': error('BROKER_UNREACHABLE: Alpaca could not be asked; nothing stored, retry'),
      },
    }),
    get: op({
      summary: 'Masked view of the stored keys; null when none are stored',
      tag: 'broker-keys',
      ok: ['200', 'masked keys, or null', { oneOf: [ref('BrokerKeysInfo'), { type: 'null' }] }],
    }),
    delete: op({
      summary: 'Delete the keys (an ALPACA account falls back to SIM)',
      tag: 'broker-keys',
      ok: ['204', 'deleted'],
      errors: notFound,
    }),
  },
  '/orders': {
    post: op({
      summary:
        'Place an order: validated here, risk-checked and executed by the order service; the outcome arrives as order events',
      tag: 'orders',
      body: ref('PlaceOrder'),
      ok: [
        '202',
        'command acknowledged by Kafka: placed (200 with duplicate: true when the client_order_id was placed before)',
        ref('OrderAccepted'),
      ],
      errors: {
        ...conflict('CLIENT_ORDER_ID_REUSED: the client_order_id names an order with other terms'),
        ...tooMany,
        '503': error(
          'ORDERS_UNAVAILABLE: not acknowledged within ORDER_SEND_TIMEOUT_MS, outcome unknown: retry with the same client_order_id (or RATE_LIMIT_UNAVAILABLE)',
        ),
      },
    }),
    get: op({
      summary: 'Your orders, newest first, with fills; ?status=open|closed|all&limit=1..500',
      tag: 'orders',
      ok: ['200', 'orders', { type: 'array', items: ref('Order') }],
    }),
  },
  '/orders/{id}': {
    get: op({
      summary: 'One of your orders',
      tag: 'orders',
      params: ['id'],
      ok: ['200', 'the order', ref('Order')],
      errors: notFound,
    }),
    delete: op({
      summary: 'Cancel a working order (CANCELED follows as an order event)',
      tag: 'orders',
      params: ['id'],
      ok: [
        '202',
        'cancel sent',
        obj({ order_id: str({ format: 'uuid' }), command_id: str({ format: 'uuid' }) }),
      ],
      errors: {
        ...notFound,
        ...conflict('ORDER_NOT_OPEN'),
        '503': error(
          'ORDERS_UNAVAILABLE: not acknowledged in time, outcome unknown: canceling again is safe',
        ),
      },
    }),
  },
  '/positions': {
    get: op({
      summary: 'Open positions with unrealized P&L at the last known mark',
      tag: 'orders',
      ok: ['200', 'positions', { type: 'array', items: ref('Position') }],
    }),
  },
  '/account': {
    get: op({
      summary: "Today's P&L, exposure and trading switches of the account",
      tag: 'orders',
      ok: ['200', 'summary', ref('AccountSummary')],
    }),
  },
  '/admin/kill-switch': {
    post: op({
      summary: 'Turn the global kill switch on (cancel every open order, refuse new ones) or off (admin)',
      tag: 'admin',
      body: obj({ enabled: { type: 'boolean' } }),
      ok: [
        '200',
        'new state',
        obj({ enabled: { type: 'boolean' }, updatedAt: str({ format: 'date-time' }) }),
      ],
      errors: { '403': error('not an admin') },
    }),
  },
  '/ml/predict': {
    post: op({
      summary:
        'Latest prediction per symbol (from the inference cache, or scored from the latest features); 30 per minute per user',
      tag: 'ml',
      body: obj(
        {
          symbols: {
            type: 'array',
            items: str({ pattern: '^[A-Za-z][A-Za-z0-9.]{0,9}$' }),
            minItems: 1,
            maxItems: 50,
          },
        },
        ['symbols'],
      ),
      ok: [
        '200',
        'predictions: [{symbol, bar_time, prob_up, label, horizon_bars, model_version, latency_ms, cached, ...}], unknown: [symbols without features yet], model_version',
      ],
    }),
  },
  '/ml/models/{version}': {
    get: op({
      summary:
        "A model's walk-forward held-out accuracy against its two naive baselines, the registry's verdict, and the band of prob_up around 0.5 shown as NEUTRAL",
      tag: 'ml',
      ok: ['200', 'the model record', ref('ModelInfo')],
      errors: notFound,
    }),
  },
  '/admin/models/{version}/report': {
    get: op({
      summary:
        "A model's evaluation and backtest as a self-contained HTML page (text/html; admin): verdict, held-out metrics, bootstrap intervals, equity curves per fold, calibration, feature importance",
      tag: 'admin',
      params: ['version'],
      ok: ['200', 'the report page, text/html'],
      errors: { '403': error('not an admin'), ...notFound },
    }),
  },
};

/** The OpenAPI 3.1 description of every route of `createApiRouter`, relative to its mount point. */
export function openApiDocument(): Schema & { paths: typeof paths } {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tickstream gateway API',
      version: '1.0.0',
      description: 'See docs/API.md for the auth flow, errors and rate limits.',
    },
    servers: [{ url: '/api' }],
    security: bearer,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths,
  };
}
