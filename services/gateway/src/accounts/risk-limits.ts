import type { Knex } from 'knex';
import type { RiskLimitRecord } from '@tickstream/contracts';
import { recordRiskAudit } from './audit';

export type { RiskLimitRecord } from '@tickstream/contracts';

export interface EffectiveRiskLimits {
  /** Defaults with the account's overrides applied: what the order service enforces. */
  limits: Record<string, unknown>;
  /** Only what an admin set for this account. */
  overrides: RiskLimitRecord;
  updatedAt: string | null;
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
