import type {
  EffectiveRiskLimits,
  RiskAuditAction,
  RiskAuditEntry,
  RiskLimitRecord,
  TradingHaltView,
} from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { DayRow } from './account';
import { dayPnl, limitOverrides, today, todayRow } from './account';
import { ApiError } from './errors';
import { usd } from './json';

interface AuditRow {
  id: string;
  at: Date;
  admin_id: string | null;
  account_id: string;
  action: RiskAuditAction;
  reason: string | null;
  details: Record<string, unknown>;
}

function entryOf(row: AuditRow): RiskAuditEntry {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    adminId: row.admin_id,
    accountId: row.account_id,
    action: row.action,
    reason: row.reason,
    details: row.details,
  };
}

/**
 * Records an admin's change to an account's risk controls, in the transaction that makes the
 * change, so a change is never without its entry (nor an entry without its change).
 */
async function recordRiskAudit(
  trx: Knex.Transaction,
  entry: {
    adminId: string;
    accountId: string;
    action: RiskAuditAction;
    reason?: string | null;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await trx('risk_audit').insert({
    admin_id: entry.adminId,
    account_id: entry.accountId,
    action: entry.action,
    reason: entry.reason ?? null,
    details: JSON.stringify(entry.details),
  });
}

/** The account's audit, newest first. */
export async function listRiskAudit(
  db: Knex,
  accountId: string,
  filter: { action?: RiskAuditAction; limit?: number } = {},
): Promise<RiskAuditEntry[]> {
  const q = db('risk_audit')
    .where({ account_id: accountId })
    .orderBy([
      { column: 'at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit ?? 100);
  if (filter.action) q.where({ action: filter.action });
  return ((await q) as AuditRow[]).map(entryOf);
}

export async function readRiskLimits(
  db: Knex,
  accountId: string,
  defaults: Record<string, unknown>,
): Promise<EffectiveRiskLimits> {
  const row = (await db('risk_limits').where({ user_id: accountId }).first()) as
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
  accountId: string,
  overrides: RiskLimitRecord,
  adminId: string,
): Promise<void> {
  await db.transaction(async (trx) => {
    const before = (await trx('risk_limits').where({ user_id: accountId }).forUpdate().first('limits')) as
      { limits: RiskLimitRecord } | undefined;
    await trx('risk_limits')
      .insert({
        user_id: accountId,
        limits: JSON.stringify(overrides),
        updated_at: trx.fn.now(),
        updated_by: adminId,
      })
      .onConflict('user_id')
      .merge();
    await recordRiskAudit(trx, {
      adminId,
      accountId,
      action: 'RISK_LIMITS_CHANGED',
      details: { before: before?.limits ?? {}, after: overrides },
    });
  });
}

// The daily-loss halt as admins see and lift it. The order that finds the breach sets it
// (order_accounts, in its transaction) and every order reads it under the account's row lock,
// so clearing it takes effect at the account's next order. Lifting does not raise the limit: an
// account still beyond it halts again at its next order.

const amount = (v: string | null): number | null => (v === null ? null : usd(v));

async function haltView(
  db: Knex,
  accountId: string,
  day: DayRow | undefined,
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  const pnl = await dayPnl(db, accountId, day);
  const halted = day?.halted_for_day ?? false;
  const [lift] = await listRiskAudit(db, accountId, { action: 'HALT_LIFTED', limit: 1 });
  const limit = (await limitOverrides(db, accountId)).dailyLossLimit ?? defaults.dailyLossLimit;
  return {
    userId: accountId,
    tradingDay: pnl.tradingDay,
    halted,
    haltedAt: halted ? (day?.halted_at?.toISOString() ?? null) : null,
    breachedLimit: halted ? amount(day?.halt_limit ?? null) : null,
    pnlAtHalt: halted ? amount(day?.halt_pnl ?? null) : null,
    dailyLossLimit: typeof limit === 'number' ? limit : null,
    realizedToday: usd(pnl.realizedToday),
    unrealized: usd(pnl.unrealized),
    dayPnl: usd(pnl.realizedToday.plus(pnl.unrealized)),
    lastLift:
      lift && lift.details.tradingDay === pnl.tradingDay
        ? { at: lift.at, by: lift.adminId, reason: lift.reason ?? '' }
        : null,
  };
}

/** The account's halt today (not halted when it has none, or only one of an earlier day). */
export async function readHalt(
  db: Knex,
  accountId: string,
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  return haltView(db, accountId, await todayRow(db, accountId), defaults);
}

/** Every account halted today, longest halted first. */
export async function listHalts(db: Knex, defaults: Record<string, unknown>): Promise<TradingHaltView[]> {
  const rows = (await db('order_accounts')
    .where({ trading_day: today(), halted_for_day: true })
    .orderBy([{ column: 'halted_at', order: 'asc', nulls: 'first' }, { column: 'account_id' }])
    .select('*')) as Array<DayRow & { account_id: string }>;
  return Promise.all(rows.map((row) => haltView(db, row.account_id, row, defaults)));
}

/**
 * Lifts today's halt of the account and records who lifted it, when, why and what the halt was,
 * in one transaction holding the account's row lock (the lock every order takes).
 * `NOT_HALTED` (409) when there is nothing to lift today.
 */
export async function liftHalt(
  db: Knex,
  input: { accountId: string; adminId: string; reason: string },
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  const tradingDay = today();
  await db.transaction(async (trx) => {
    const row = (await trx('order_accounts').where({ account_id: input.accountId }).forUpdate().first()) as
      DayRow | undefined;
    if (!row || row.trading_day !== tradingDay || !row.halted_for_day)
      throw new ApiError(409, 'NOT_HALTED', 'trading of this account is not halted today');
    await trx('order_accounts').where({ account_id: input.accountId }).update({
      halted_for_day: false,
      halted_at: null,
      halt_limit: null,
      halt_pnl: null,
      updated_at: trx.fn.now(),
    });
    await recordRiskAudit(trx, {
      adminId: input.adminId,
      accountId: input.accountId,
      action: 'HALT_LIFTED',
      reason: input.reason,
      details: {
        tradingDay,
        haltedAt: row.halted_at?.toISOString() ?? null,
        breachedLimit: amount(row.halt_limit),
        pnlAtHalt: amount(row.halt_pnl),
      },
    });
  });
  return readHalt(db, input.accountId, defaults);
}
