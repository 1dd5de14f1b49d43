import type { RiskLimits } from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { OpenOrder, Position, TradingDayState } from '../domain';
import { toSql } from '../domain';
import type { AccountRow, PositionRow, StoredOrderRow } from './rows';
import { OPEN_STATUSES, dayStateOf, openOrderOf, orderOf, positionOf } from './rows';

/** What the pre-trade checks read about one account, besides quotes and the clock. */
export interface RiskInputs {
  limits: RiskLimits;
  positions: Map<string, Position>;
  openOrders: OpenOrder[];
  recentOrderTimes: number[];
  killSwitch: boolean;
  day: TradingDayState | null;
}

/**
 * Takes the account's row lock for the rest of the transaction (creating the row on first use).
 * Every change to an account's orders, positions and day goes through it, so a fill arriving from
 * the quote feed and a command for the same account never interleave, on one instance or many.
 */
export async function lockAccount(trx: Knex.Transaction, accountId: string): Promise<TradingDayState | null> {
  const { rows } = (await trx.raw(
    `INSERT INTO order_accounts (account_id) VALUES (?)
     ON CONFLICT (account_id) DO UPDATE SET account_id = EXCLUDED.account_id
     RETURNING account_id, trading_day, realized_today, halted_for_day, halted_at, halt_limit, halt_pnl`,
    [accountId],
  )) as { rows: AccountRow[] };
  return dayStateOf(rows[0] as AccountRow);
}

/** The columns of `order_accounts` that hold `day`. */
export function dayStateColumns(trx: Knex.Transaction, day: TradingDayState): Record<string, unknown> {
  const { halt } = day;
  return {
    trading_day: day.tradingDay,
    realized_today: toSql(day.realizedPnl),
    halted_for_day: halt !== null,
    halted_at: halt?.at == null ? null : new Date(halt.at),
    halt_limit: halt?.limit == null ? null : toSql(halt.limit),
    halt_pnl: halt?.pnl == null ? null : toSql(halt.pnl),
    updated_at: trx.fn.now(),
  };
}

export async function saveDayState(
  trx: Knex.Transaction,
  accountId: string,
  day: TradingDayState,
): Promise<void> {
  await trx('order_accounts').where({ account_id: accountId }).update(dayStateColumns(trx, day));
}

/**
 * DEFAULT_RISK_LIMITS with the account's overrides merged over it; unknown keys and values of
 * another type are ignored, and so are list entries that are not strings. (The risk check
 * compares list symbols normalised, so a list stored in lower case still applies.)
 */
export function mergeLimits(overrides: Record<string, unknown> | undefined): RiskLimits {
  const known = Object.entries(overrides ?? {}).flatMap(([k, v]): Array<[string, unknown]> => {
    if (!(k in DEFAULT_RISK_LIMITS)) return [];
    const def: unknown = DEFAULT_RISK_LIMITS[k as keyof RiskLimits];
    if (Array.isArray(def)) return Array.isArray(v) ? [[k, v.filter((s) => typeof s === 'string')]] : [];
    return typeof v === typeof def ? [[k, v]] : [];
  });
  return Object.freeze({ ...DEFAULT_RISK_LIMITS, ...Object.fromEntries(known) }) as RiskLimits;
}

/** The kill switch of a controls row: GLOBAL_CONTROLS_ID in production; tests use a row of their own. */
export async function readKillSwitch(db: Knex, controlsId: string): Promise<boolean> {
  const row = (await db('trading_controls').where({ id: controlsId }).first('kill_switch')) as
    { kill_switch: boolean } | undefined;
  return row?.kill_switch ?? false;
}

/** Reads everything the risk checks need; call with the account locked. */
export async function loadRiskInputs(
  trx: Knex.Transaction,
  accountId: string,
  day: TradingDayState | null,
  now: number,
  controlsId: string,
): Promise<RiskInputs> {
  // Two round trips under the account's lock (every one of them holds up the account's next
  // command): the settings with the positions (one row per position, or one without any), and
  // the open and recent orders.
  const { rows: settings } = (await trx.raw(
    `SELECT s.limits, s.kill_switch, p.symbol, p.qty, p.avg_price, p.realized_pnl
       FROM (SELECT (SELECT limits FROM risk_limits WHERE user_id = ?) AS limits,
                    (SELECT kill_switch FROM trading_controls WHERE id = ?) AS kill_switch) s
       LEFT JOIN positions p ON p.account_id = ?`,
    [accountId, controlsId, accountId],
  )) as {
    rows: Array<
      { limits: Record<string, unknown> | null; kill_switch: boolean | null } & Partial<PositionRow>
    >;
  };
  const positionRows = settings.flatMap((r): PositionRow[] =>
    r.symbol == null ? [] : [{ ...(r as PositionRow), account_id: accountId }],
  );
  const since = now - 60_000;
  const orderRows = (await trx('orders')
    .where({ account_id: accountId })
    .andWhere((q) =>
      q.whereIn('status', OPEN_STATUSES).orWhere('accepted_at', '>', new Date(since)),
    )) as StoredOrderRow[];
  const openRows = orderRows.filter((r) => OPEN_STATUSES.includes(r.status));
  const recentOrderTimes = orderRows.flatMap((r) =>
    r.accepted_at !== null && r.accepted_at.getTime() > since ? [r.accepted_at.getTime()] : [],
  );
  return {
    limits: mergeLimits(settings[0]?.limits ?? undefined),
    positions: new Map(positionRows.map((r) => [r.symbol, positionOf(r)])),
    openOrders: openRows.map((r) => openOrderOf(orderOf(r))),
    recentOrderTimes,
    killSwitch: settings[0]?.kill_switch ?? false,
    day,
  };
}
