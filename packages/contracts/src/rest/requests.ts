import { z } from 'zod/v4';
import { QTY_DECIMALS, decimalPlaces } from '../decimals';
import { DEFAULT_RISK_LIMITS } from '../risk';
import {
  MAX_SYMBOLS_PER_WATCHLIST,
  MAX_WATCHLISTS,
  brokerField,
  displayNameField,
  emailField,
  orderTypeInput,
  passwordField,
  sideInput,
  symbolField,
  timeInForceInput,
  watchlistNameField,
  REST_META,
} from './fields';

// The bodies and queries the gateway accepts. Every object is strict: an unknown key is refused
// rather than ignored, so a misspelt optional field cannot silently fall back to its default.

export const signupBody = z.strictObject({
  email: emailField,
  password: passwordField,
  displayName: displayNameField.optional(),
});

// Login takes any string up to the cap: the policy may change, old passwords must still work.
export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(1024),
});

export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });

export const setBrokerBody = z.strictObject({ broker: brokerField });

const symbolList = z
  .array(symbolField)
  .max(MAX_SYMBOLS_PER_WATCHLIST, `at most ${MAX_SYMBOLS_PER_WATCHLIST} symbols per watchlist`)
  .transform((list) => [...new Set(list)]);

export const createWatchlistBody = z.strictObject({
  name: watchlistNameField,
  symbols: symbolList.default([]),
});

export const patchWatchlistBody = z
  .strictObject({
    name: watchlistNameField.optional(),
    position: z.number().int().min(0).max(MAX_WATCHLISTS).optional(),
  })
  .refine((p) => p.name !== undefined || p.position !== undefined, 'send name and/or position');

export const replaceSymbolsBody = z.strictObject({ symbols: symbolList });

export const addSymbolBody = z.strictObject({ symbol: symbolField });

// Alpaca key ids are 20 characters and secrets 40; the bounds leave room without accepting junk.
export const brokerKeysBody = z.strictObject({
  keyId: z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'expected 10-64 letters and digits'),
  secretKey: z
    .string()
    .regex(/^[\x21-\x7e]{16,128}$/, 'expected 16-128 printable characters without spaces')
    .register(REST_META, { writeOnly: true }),
  paper: z.boolean().default(true),
});

/** Finer price increments (4 decimals at or above $1) are the order service's rule: it rejects the order. */
const PRICE_MAX_DECIMALS = 6;
const price = z
  .number()
  .finite()
  .positive()
  .max(1_000_000)
  .refine((p) => decimalPlaces(p) <= PRICE_MAX_DECIMALS, `at most ${PRICE_MAX_DECIMALS} decimals`);

export const placeOrderBody = z
  .strictObject({
    client_order_id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, '1-64 letters, digits, dot, underscore, colon or dash')
      .optional()
      .register(REST_META, { description: 'idempotency key, unique per account; generated when absent' }),
    symbol: symbolField,
    side: sideInput,
    qty: z
      .number()
      .finite()
      .positive()
      .max(1_000_000)
      .refine((q) => decimalPlaces(q) <= QTY_DECIMALS, `at most ${QTY_DECIMALS} decimals`)
      .register(REST_META, {
        description: 'shares; fractional only for ALPACA accounts on MARKET DAY orders',
      }),
    type: orderTypeInput,
    time_in_force: timeInForceInput.default('DAY'),
    limit_price: price.optional().register(REST_META, { description: 'LIMIT and STOP_LIMIT only' }),
    stop_price: price.optional().register(REST_META, { description: 'STOP and STOP_LIMIT only' }),
  })
  .superRefine((o, ctx) => {
    const needsLimit = o.type === 'LIMIT' || o.type === 'STOP_LIMIT';
    const needsStop = o.type === 'STOP' || o.type === 'STOP_LIMIT';
    // A price refused for its own reason is absent here: "required" would contradict that reason.
    const refused = (field: string) => ctx.issues.some((i) => i.path?.[0] === field);
    if (needsLimit !== (o.limit_price !== undefined) && !refused('limit_price'))
      ctx.addIssue({
        code: 'custom',
        path: ['limit_price'],
        message: needsLimit ? `required for ${o.type}` : `not allowed for ${o.type}`,
      });
    if (needsStop !== (o.stop_price !== undefined) && !refused('stop_price'))
      ctx.addIssue({
        code: 'custom',
        path: ['stop_price'],
        message: needsStop ? `required for ${o.type}` : `not allowed for ${o.type}`,
      });
  });

export const listOrdersQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const killSwitchBody = z.strictObject({ enabled: z.boolean() });

export const liftHaltBody = z.strictObject({
  // Why the halt may go: it is kept in the audit next to who lifted it.
  reason: z.string().trim().min(1, 'say why the halt is lifted').max(500),
});

export const predictBody = z.strictObject({ symbols: z.array(symbolField).min(1).max(50) });

/** Limits are a flat record of numbers, booleans and symbol lists; the order service owns their meaning. */
export type RiskLimitValue = number | boolean | string[];
export type RiskLimitRecord = Record<string, RiskLimitValue>;

/**
 * The schema of an override record, derived from the defaults: only known keys, each with the
 * type of its default, so an admin cannot store a limit the order service would misread. The
 * lists are symbol lists: each entry is trimmed, upper-cased and must be a ticker (`tsla` is
 * stored as `TSLA`, `t$la` refused), duplicates dropped.
 */
export function riskLimitOverrides(defaults: Record<string, unknown>): z.ZodType<RiskLimitRecord, unknown> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === 'number') shape[key] = z.number().finite().min(0).optional();
    else if (typeof value === 'boolean') shape[key] = z.boolean().optional();
    else if (Array.isArray(value))
      shape[key] = z
        .array(symbolField)
        .max(1000)
        .transform((list) => [...new Set(list)])
        .optional();
  }
  return z
    .strictObject(shape)
    .transform(
      (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as RiskLimitRecord,
    );
}

/** PUT /api/admin/risk-limits/{userId} for the order service's limits: the whole override record. */
export function riskLimitsBody(defaults: Record<string, unknown>) {
  return z.strictObject({ limits: riskLimitOverrides(defaults) });
}

/** The body as documented: the overrides of the limits the order service ships with. */
export const defaultRiskLimitsBody = riskLimitsBody(
  DEFAULT_RISK_LIMITS as unknown as Record<string, unknown>,
);
