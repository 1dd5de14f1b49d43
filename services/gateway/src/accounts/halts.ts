import type { TradingHaltView } from '@tickstream/contracts';
import type { Knex } from 'knex';
import { ConflictError } from '../request';
import type { DayRow } from '../orders/account';
import { dayPnl, newYorkDate, todayRow } from '../orders/account';
import { usd } from '../orders/money';
import { listRiskAudit, recordRiskAudit } from './audit';

/**
 * The daily-loss halt as admins see and lift it. The order service sets it (order_accounts, in
 * the transaction of the order that found the breach) and reads it under the account's row lock
 * before every order, so clearing it here takes effect at the account's next order. Lifting
 * does not raise the limit: an account still beyond it halts again at its next order.
 */

async function currentLimit(
  db: Knex,
  userId: string,
  defaults: Record<string, unknown>,
): Promise<number | null> {
  const row = (await db('risk_limits').where({ user_id: userId }).first('limits')) as
    { limits: Record<string, unknown> } | undefined;
  const limit = row?.limits.dailyLossLimit ?? defaults.dailyLossLimit;
  return typeof limit === 'number' ? limit : null;
}

const amount = (v: string | null): number | null => (v === null ? null : usd(v));

async function viewOf(
  db: Knex,
  userId: string,
  day: DayRow | undefined,
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  const pnl = await dayPnl(db, userId, day);
  const halted = day?.halted_for_day ?? false;
  const [lift] = await listRiskAudit(db, userId, { action: 'HALT_LIFTED', limit: 1 });
  return {
    userId,
    tradingDay: pnl.tradingDay,
    halted,
    haltedAt: halted ? (day?.halted_at?.toISOString() ?? null) : null,
    breachedLimit: halted ? amount(day?.halt_limit ?? null) : null,
    pnlAtHalt: halted ? amount(day?.halt_pnl ?? null) : null,
    dailyLossLimit: await currentLimit(db, userId, defaults),
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
  userId: string,
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  return viewOf(db, userId, await todayRow(db, userId), defaults);
}

/** Every account halted today, longest halted first. */
export async function listHalts(db: Knex, defaults: Record<string, unknown>): Promise<TradingHaltView[]> {
  const rows = (await db('order_accounts')
    .where({ trading_day: newYorkDate(), halted_for_day: true })
    .orderBy([{ column: 'halted_at', order: 'asc', nulls: 'first' }, { column: 'account_id' }])
    .select('*')) as Array<DayRow & { account_id: string }>;
  return Promise.all(rows.map((row) => viewOf(db, row.account_id, row, defaults)));
}

/**
 * Lifts today's halt of the account and records who lifted it, when, why and what the halt was,
 * in one transaction holding the account's row lock (the lock the order service takes per order).
 * `NOT_HALTED` (409) when there is nothing to lift today.
 */
export async function liftHalt(
  db: Knex,
  input: { userId: string; adminId: string; reason: string },
  defaults: Record<string, unknown>,
): Promise<TradingHaltView> {
  const tradingDay = newYorkDate();
  await db.transaction(async (trx) => {
    const row = (await trx('order_accounts').where({ account_id: input.userId }).forUpdate().first()) as
      DayRow | undefined;
    if (!row || row.trading_day !== tradingDay || !row.halted_for_day)
      throw new ConflictError('NOT_HALTED', 'trading of this account is not halted today');
    await trx('order_accounts').where({ account_id: input.userId }).update({
      halted_for_day: false,
      halted_at: null,
      halt_limit: null,
      halt_pnl: null,
      updated_at: trx.fn.now(),
    });
    await recordRiskAudit(trx, {
      adminId: input.adminId,
      accountId: input.userId,
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
  return readHalt(db, input.userId, defaults);
}
