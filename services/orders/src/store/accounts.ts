import type { RiskLimits, Side } from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { OpenOrder, OrderStatus, Position, TradingDayState } from '../domain';
import { toSql } from '../domain';
import type { AccountRow } from './rows';
import { OPEN_STATUSES, dayStateOf, num, openOrderOf, positionOf } from './rows';

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

/** A row of the risk read: a position (`order_id` null) or an open or recent order. */
type RiskRow = { limits: Record<string, unknown> | null; kill_switch: boolean | null } & {
  [
    K in
      | 'symbol'
      | 'qty'
      | 'avg_price'
      | 'realized_pnl'
      | 'order_id'
      | 'side'
      | 'order_qty'
      | 'filled_qty'
      | 'limit_price'
      | 'stop_price'
      | 'status'
  ]: string | null;
} & { accepted_at: Date | null };

/** Reads everything the risk checks need; call with the account locked. */
export async function loadRiskInputs(
  trx: Knex.Transaction,
  accountId: string,
  day: TradingDayState | null,
  now: number,
  controlsId: string,
): Promise<RiskInputs> {
  // One round trip under the account's lock (every one of them holds up the account's next
  // command): the settings, with one row per position and per open or recent order (or one row
  // without either). Each kind fills its own columns; an order row has an order_id.
  const since = now - 60_000;
  const { rows } = (await trx.raw(
    `SELECT s.limits, s.kill_switch, x.*
       FROM (SELECT (SELECT limits FROM risk_limits WHERE user_id = ?) AS limits,
                    (SELECT kill_switch FROM trading_controls WHERE id = ?) AS kill_switch) s
       LEFT JOIN (
         SELECT symbol, qty, avg_price, realized_pnl, NULL AS order_id, NULL AS side, NULL AS order_qty,
                NULL AS filled_qty, NULL AS limit_price, NULL AS stop_price, NULL AS status, NULL AS accepted_at
           FROM positions WHERE account_id = ?
         UNION ALL
         SELECT symbol, NULL, NULL, NULL, order_id, side, qty, filled_qty, limit_price, stop_price, status, accepted_at
           FROM orders
          WHERE account_id = ? AND (status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) OR accepted_at > ?)
       ) x ON true`,
    [accountId, controlsId, accountId, accountId, ...OPEN_STATUSES, new Date(since)],
  )) as { rows: RiskRow[] };
  const positions = new Map<string, Position>();
  const openOrders: OpenOrder[] = [];
  const recentOrderTimes: number[] = [];
  for (const r of rows) {
    if (r.order_id === null) {
      if (r.symbol !== null)
        positions.set(
          r.symbol,
          positionOf({
            account_id: accountId,
            symbol: r.symbol,
            qty: r.qty as string,
            avg_price: r.avg_price as string,
            realized_pnl: r.realized_pnl as string,
          }),
        );
      continue;
    }
    if (OPEN_STATUSES.includes(r.status as OrderStatus))
      openOrders.push(
        openOrderOf({
          order_id: r.order_id,
          account_id: accountId,
          symbol: r.symbol,
          side: r.side as Side | null,
          qty: num(r.order_qty),
          filled_qty: Number(r.filled_qty),
          limit_price: num(r.limit_price),
          stop_price: num(r.stop_price),
        }),
      );
    if (r.accepted_at !== null && r.accepted_at.getTime() > since)
      recentOrderTimes.push(r.accepted_at.getTime());
  }
  return {
    limits: mergeLimits(rows[0]?.limits ?? undefined),
    positions,
    openOrders,
    recentOrderTimes,
    killSwitch: rows[0]?.kill_switch ?? false,
    day,
  };
}
