import type { Knex } from 'knex';
import { z } from 'zod';
import { symbolSchema } from '../request';
import { recordRiskAudit } from './audit';

/** Limits are a flat record of numbers, booleans and string lists; the order service owns their meaning. */
export type RiskLimitValue = number | boolean | string[];
export type RiskLimitRecord = Record<string, RiskLimitValue>;

export interface EffectiveRiskLimits {
  /** Defaults with the account's overrides applied: what the order service enforces. */
  limits: Record<string, unknown>;
  /** Only what an admin set for this account. */
  overrides: RiskLimitRecord;
  updatedAt: string | null;
}

/**
 * The schema of an override record, derived from the defaults: only known keys, each with the
 * type of its default, so an admin cannot store a limit the order service would misread. The
 * lists are symbol lists: each entry is trimmed, upper-cased and must be a ticker (`tsla` is
 * stored as `TSLA`, `t$la` refused), duplicates dropped.
 */
export function overridesSchema(defaults: Record<string, unknown>): z.ZodType<RiskLimitRecord> {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === 'number') shape[key] = z.number().finite().min(0).optional();
    else if (typeof value === 'boolean') shape[key] = z.boolean().optional();
    else if (Array.isArray(value))
      shape[key] = z
        .array(symbolSchema)
        .max(1000)
        .transform((list) => [...new Set(list)])
        .optional();
  }
  return z
    .object(shape)
    .strict()
    .transform(
      (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as RiskLimitRecord,
    );
}

export async function readRiskLimits(
  db: Knex,
  userId: string,
  defaults: Record<string, unknown>,
): Promise<EffectiveRiskLimits> {
  const row = (await db('risk_limits').where({ user_id: userId }).first()) as
    { limits: RiskLimitRecord; updated_at: Date } | undefined;
  // Keys the defaults no longer have are dropped: a renamed limit must not linger as a ghost.
  const overrides = Object.fromEntries(Object.entries(row?.limits ?? {}).filter(([k]) => k in defaults));
  return {
    limits: { ...defaults, ...overrides },
    overrides,
    updatedAt: row ? row.updated_at.toISOString() : null,
  };
}

/**
 * Replaces the account's overrides (an empty record returns it to the defaults) and records the
 * change, before and after, in the risk audit, in one transaction.
 */
export async function writeRiskLimits(
  db: Knex,
  userId: string,
  overrides: RiskLimitRecord,
  adminId: string,
): Promise<void> {
  await db.transaction(async (trx) => {
    const before = (await trx('risk_limits').where({ user_id: userId }).forUpdate().first('limits')) as
      { limits: RiskLimitRecord } | undefined;
    await trx('risk_limits')
      .insert({
        user_id: userId,
        limits: JSON.stringify(overrides),
        updated_at: trx.fn.now(),
        updated_by: adminId,
      })
      .onConflict('user_id')
      .merge();
    await recordRiskAudit(trx, {
      adminId,
      accountId: userId,
      action: 'RISK_LIMITS_CHANGED',
      details: { before: before?.limits ?? {}, after: overrides },
    });
  });
}
