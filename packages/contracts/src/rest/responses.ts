import { z } from 'zod/v4';
import {
  MAX_SYMBOLS_PER_WATCHLIST,
  brokerField,
  id,
  orderStatusField,
  orderTypeField,
  roleField,
  sideField,
  symbolValue,
  timeInForceField,
  timestamp,
  REST_META,
} from './fields';

// What the gateway answers. A named answer carries its name in REST_META (`id`), which the
// OpenAPI document turns into a component that the operations refer to.

function component<S extends z.ZodType>(schema: S, name: string): S {
  REST_META.add(schema, { id: name });
  return schema;
}

/** One field a request got wrong: its dotted path and what was expected (never the value sent). */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });

/**
 * The JSON body of every error answer of Tickstream's HTTP APIs, the gateway's and inference's
 * alike: switch on `code`, never on the message.
 */
export const errorBodySchema = component(
  z.object({
    code: z.string().register(REST_META, {
      description: 'stable machine-readable code, e.g. VALIDATION_FAILED, TOKEN_EXPIRED, RATE_LIMITED',
    }),
    message: z.string(),
    /** VALIDATION_FAILED: each offending field. */
    details: z.array(fieldIssueSchema).optional(),
    /** RATE_LIMITED: seconds until a retry can succeed (also the Retry-After header). */
    retryAfterSec: z
      .number()
      .int()
      .optional()
      .register(REST_META, { description: 'with RATE_LIMITED, as the Retry-After header' }),
  }),
  'Error',
);

/** What the API shows of an account: never the password hash. */
export const userSchema = component(
  z.object({
    id,
    email: z.string(),
    displayName: z.string().nullable(),
    role: roleField,
    broker: brokerField,
    createdAt: timestamp,
  }),
  'User',
);

export const sessionSchema = component(
  z.object({
    accessToken: z.string().register(REST_META, { description: 'JWT HS256; claims sub, role, sid' }),
    refreshToken: z
      .string()
      .register(REST_META, { description: 'opaque, single use: each refresh returns a new one' }),
    expiresIn: z.number().int().register(REST_META, { description: 'access token lifetime, seconds' }),
    user: userSchema,
  }),
  'Session',
);

/** One of the user's watchlists, in the user's order (`position`). */
export const watchlistSchema = component(
  z.object({
    id,
    name: z.string(),
    position: z.number().int().min(0),
    symbols: z.array(symbolValue).max(MAX_SYMBOLS_PER_WATCHLIST),
    createdAt: timestamp,
  }),
  'Watchlist',
);

/** All the API ever shows of stored broker keys. */
export const brokerKeysInfoSchema = component(
  z.object({
    keyIdMasked: z.string().register(REST_META, { examples: ['PK****WXYZ'] }),
    paper: z.boolean(),
    updatedAt: timestamp,
  }),
  'BrokerKeysInfo',
);

/** PUT /api/broker-keys: the stored keys and the Alpaca account they opened when checked. */
export const brokerKeysSavedSchema = component(
  brokerKeysInfoSchema.extend({
    account: z
      .object({
        status: z.string(),
        currency: z.string(),
        buyingPower: z.string(),
        tradingBlocked: z.boolean(),
      })
      .optional()
      .register(REST_META, {
        description: 'present when the gateway checked the keys with Alpaca; money as Alpaca sends it',
      }),
  }),
  'BrokerKeysSaved',
);

/**
 * The order service's limits as GET /api/risk-limits shows them (RiskLimits, risk.ts): every key
 * optional, since the record shows what the defaults and overrides hold.
 */
const riskLimitValues = () =>
  z.looseObject({
    maxOrdersPerMinute: z.number().optional(),
    maxOrderNotional: z.number().optional(),
    maxOrderQty: z.number().optional(),
    maxPositionNotional: z.number().optional(),
    maxGrossExposure: z.number().optional(),
    dailyLossLimit: z.number().optional(),
    priceBandPct: z.number().optional(),
    allowedSymbols: z.array(z.string()).optional(),
    deniedSymbols: z.array(z.string()).optional(),
    tradingEnabled: z.boolean().optional(),
  });

/** GET /api/risk-limits and /api/admin/risk-limits/{userId}. */
export const effectiveRiskLimitsSchema = component(
  z.object({
    limits: riskLimitValues().register(REST_META, {
      description:
        'effective limits: the defaults with the overrides applied, what the order service enforces',
    }),
    overrides: riskLimitValues().register(REST_META, {
      description: 'only what an admin set for this account',
    }),
    updatedAt: timestamp.nullable(),
  }),
  'EffectiveRiskLimits',
);

const usd = (description: string) =>
  z.number().register(REST_META, { description: `${description}; USD, rounded to the cent` });

/**
 * GET /api/admin/trading-halts[/{userId}]: an account's daily-loss halt for today (New York date).
 * Amounts are USD numbers rounded to the cent.
 */
export const tradingHaltSchema = component(
  z.object({
    userId: id,
    tradingDay: z.iso
      .date()
      .register(REST_META, { description: 'today, YYYY-MM-DD in New York: a halt ends with its day' }),
    halted: z.boolean(),
    haltedAt: timestamp
      .nullable()
      .register(REST_META, { description: 'when the order service found the breach' }),
    breachedLimit: usd('the daily loss limit in force when trading halted').nullable(),
    pnlAtHalt: usd("today's P&L (realized plus unrealized) that breached it").nullable(),
    dailyLossLimit: usd(
      'the limit in force now; an account whose dayPnl is still below -dailyLossLimit halts again at its next order',
    ).nullable(),
    realizedToday: usd("realized by today's fills"),
    unrealized: usd("open positions at the order service's last marks (bid for longs, ask for shorts)"),
    dayPnl: usd('realized plus unrealized'),
    lastLift: z
      .object({ at: timestamp, by: z.string().nullable(), reason: z.string() })
      .nullable()
      .register(REST_META, { description: 'the latest lift of today, if any' }),
  }),
  'TradingHalt',
);

/** Things an admin does to an account's risk controls, recorded in risk_audit. */
export const riskAuditActionField = z.enum(['RISK_LIMITS_CHANGED', 'HALT_LIFTED']);

/** GET /api/admin/risk-audit/{userId}: newest first. */
export const riskAuditEntrySchema = component(
  z.object({
    id: z.string(),
    at: timestamp,
    adminId: z
      .string()
      .nullable()
      .register(REST_META, { description: 'the admin who acted; null once that account is deleted' }),
    accountId: id,
    action: riskAuditActionField,
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).register(REST_META, {
      description: 'RISK_LIMITS_CHANGED: {before, after} overrides; HALT_LIFTED: the halt lifted',
    }),
  }),
  'RiskAuditEntry',
);

/** Placed (202), or placed earlier under the same client_order_id (200, `duplicate: true`). */
export const orderAcceptedSchema = component(
  z.object({
    order_id: id,
    client_order_id: z.string(),
    command_id: id,
    duplicate: z.literal(true).optional().register(REST_META, {
      description: 'the client_order_id was placed before: its first order is answered',
    }),
  }),
  'OrderAccepted',
);

export const cancelAcceptedSchema = component(z.object({ order_id: id, command_id: id }), 'CancelAccepted');

/** GET /api/orders: one order with its fills (the order service's tables, read by the gateway). */
export const orderSchema = component(
  z.object({
    orderId: id,
    clientOrderId: z.string(),
    symbol: z.string().nullable(),
    side: sideField.nullable(),
    qty: z.number().nullable(),
    type: orderTypeField.nullable(),
    timeInForce: timeInForceField.nullable(),
    limitPrice: z.number().nullable(),
    stopPrice: z.number().nullable(),
    broker: brokerField,
    status: orderStatusField,
    filledQty: z.number(),
    avgFillPrice: z.number().nullable(),
    reasonCode: z.string().nullable().register(REST_META, {
      description: 'REJECTED/CANCELED/EXPIRED: stable code, e.g. MAX_ORDER_NOTIONAL (see docs/API.md)',
    }),
    reason: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    fills: z.array(z.object({ qty: z.number(), price: z.number(), filledAt: timestamp })),
  }),
  'Order',
);

/** GET /api/positions: open positions at the order service's liquidation-side marks. */
export const positionSchema = component(
  z.object({
    symbol: z.string(),
    qty: z.number(),
    avgPrice: z.number(),
    realizedPnl: z.number(),
    markPrice: z.number().nullable().register(REST_META, {
      description: "bid for a long, ask for a short, from the order service's last quote; null when none",
    }),
    unrealizedPnl: z.number().nullable(),
    marketValue: z.number().nullable(),
  }),
  'Position',
);

/** GET /api/account. */
export const accountSummarySchema = component(
  z.object({
    realizedToday: z.number(),
    unrealized: z.number(),
    grossExposure: z.number(),
    openOrders: z.number().int(),
    tradingEnabled: z.boolean(),
    haltedForDay: z.boolean(),
    killSwitch: z.boolean(),
  }),
  'AccountSummary',
);

export const killSwitchStateSchema = component(
  z.object({ enabled: z.boolean(), updatedAt: timestamp }),
  'KillSwitchState',
);

/** Held-out scores of one contender: the model or a naive baseline. */
export const heldOutScoreSchema = z.object({ accuracy: z.number(), balancedAccuracy: z.number() });

/**
 * GET /api/ml/models/{version}: how far a trader may trust the model's signal. From the model
 * registry's evaluation (walk-forward, held out; docs/MODEL.md), plus the gateway's signal band.
 */
export const modelInfoSchema = component(
  z.object({
    version: z.string(),
    horizonBars: z.number().int(),
    heldOut: z
      .object({
        rows: z.number().int(),
        model: heldOutScoreSchema,
        baselines: z.object({ majority: heldOutScoreSchema, previousDirection: heldOutScoreSchema }),
      })
      .register(REST_META, { description: 'pooled over the walk-forward folds' }),
    beatsBaselines: z.boolean().register(REST_META, {
      description: "the registry's rule: better than each baseline on balanced accuracy and log loss",
    }),
    signalBand: z.number().min(0).max(0.5).register(REST_META, {
      description: 'prob_up within 0.5 +/- this is shown as NEUTRAL (ML_SIGNAL_BAND)',
    }),
  }),
  'ModelInfo',
);

/** POST /api/ml/predict: the inference service's answer, forwarded as it is. */
export const predictionsSchema = component(
  z.looseObject({
    predictions: z.array(
      z.looseObject({ symbol: z.string(), prob_up: z.number(), cached: z.boolean() }).register(REST_META, {
        description: 'a Prediction record (predictions.v1), and whether it came from the cache',
      }),
    ),
    unknown: z.array(z.string()).register(REST_META, { description: 'symbols without features yet' }),
    model_version: z.string().nullable(),
  }),
  'Predictions',
);
