import type { AccountSummary, PositionView } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Money } from '../domain';
import { ZERO, cents, dec, tradingDayOf } from '../domain';
import { OPEN_STATUSES, readKillSwitch } from '../store';
import { decimalNumber, numeric, usd } from './json';

// Numeric columns, as pg returns them: exact decimal strings.
interface PositionRow {
  symbol: string;
  qty: string;
  avg_price: string;
  realized_pnl: string;
  bid_price: string | null;
  ask_price: string | null;
}

/** One open position valued exactly; `view` is what the API shows of it. */
interface ValuedPosition {
  view: PositionView;
  unrealized: Money | null;
  exposure: Money;
}

/**
 * Values a position as the daily-loss check does: at the liquidation side (bid for a long, ask
 * for a short), unrealized P&L rounded to the cent.
 */
function value(r: PositionRow): ValuedPosition {
  const qty = dec(r.qty);
  const markText = qty.gt(0) ? r.bid_price : r.ask_price;
  const mark = markText === null ? null : dec(markText);
  const unrealized = mark === null ? null : cents(mark.minus(r.avg_price).times(qty));
  return {
    view: {
      symbol: r.symbol,
      qty: qty.toNumber(),
      avgPrice: decimalNumber(r.avg_price),
      realizedPnl: usd(r.realized_pnl),
      markPrice: numeric(markText),
      unrealizedPnl: unrealized === null ? null : unrealized.toNumber(),
      marketValue: mark === null ? null : usd(mark.times(qty)),
    },
    unrealized,
    exposure: qty.abs().times(mark ?? dec(r.avg_price)),
  };
}

async function valuedPositions(db: Knex, accountId: string): Promise<ValuedPosition[]> {
  const rows = (await db('positions as p')
    .leftJoin('quote_marks as m', 'm.symbol', 'p.symbol')
    .where('p.account_id', accountId)
    .whereNot('p.qty', 0)
    .orderBy('p.symbol')
    .select(
      'p.symbol',
      'p.qty',
      'p.avg_price',
      'p.realized_pnl',
      'm.bid_price',
      'm.ask_price',
    )) as PositionRow[];
  return rows.map(value);
}

/** Open positions valued at the marks the risk checks use (table quote_marks). */
export async function listPositions(db: Knex, accountId: string): Promise<PositionView[]> {
  return (await valuedPositions(db, accountId)).map((p) => p.view);
}

/** The trading day (New York calendar date) of now. */
export const today = (): string => tradingDayOf(Date.now());

/** Today's P&L of an account, in exact cents: realized by today's fills, unrealized at the marks. */
export interface DayPnl {
  tradingDay: string;
  realizedToday: Money;
  unrealized: Money;
}

/** An account's trading-day row; a row of an earlier day counts as none. */
export interface DayRow {
  trading_day: string | null;
  realized_today: string;
  halted_for_day: boolean;
  halted_at: Date | null;
  halt_limit: string | null;
  halt_pnl: string | null;
}

export async function todayRow(db: Knex, accountId: string): Promise<DayRow | undefined> {
  const row = (await db('order_accounts').where({ account_id: accountId }).first()) as DayRow | undefined;
  return row?.trading_day === today() ? row : undefined;
}

export async function dayPnl(db: Knex, accountId: string, day?: DayRow): Promise<DayPnl> {
  const positions = await valuedPositions(db, accountId);
  return {
    tradingDay: today(),
    realizedToday: day ? dec(day.realized_today) : ZERO,
    unrealized: positions.reduce((s, p) => s.plus(p.unrealized ?? ZERO), ZERO),
  };
}

/** The account's overrides of the default risk limits (its risk_limits row), or none. */
export async function limitOverrides(db: Knex, accountId: string): Promise<Record<string, unknown>> {
  const row = (await db('risk_limits').where({ user_id: accountId }).first('limits')) as
    { limits: Record<string, unknown> } | undefined;
  return row?.limits ?? {};
}

export async function accountSummary(
  db: Knex,
  accountId: string,
  defaults: Record<string, unknown>,
  controlsId: string,
): Promise<AccountSummary> {
  const positions = await valuedPositions(db, accountId);
  const day = await todayRow(db, accountId);
  const enabled = (await limitOverrides(db, accountId)).tradingEnabled ?? defaults.tradingEnabled ?? true;
  const [open] = (await db('orders')
    .where({ account_id: accountId })
    .whereIn('status', OPEN_STATUSES)
    .count({ n: '*' })) as Array<{ n: string }>;
  return {
    realizedToday: usd(day?.realized_today ?? 0),
    unrealized: usd(positions.reduce((s, p) => s.plus(p.unrealized ?? ZERO), ZERO)),
    grossExposure: usd(positions.reduce((s, p) => s.plus(p.exposure), ZERO)),
    openOrders: Number(open?.n ?? 0),
    tradingEnabled: enabled !== false,
    haltedForDay: day?.halted_for_day ?? false,
    killSwitch: await readKillSwitch(db, controlsId),
  };
}

/**
 * Turns the kill switch on or off. The risk check reads it in every order's transaction and the
 * periodic controls cancel every open order while it is on (execution/controls.ts).
 */
export async function setKillSwitch(
  db: Knex,
  controlsId: string,
  enabled: boolean,
  adminId: string,
): Promise<{ enabled: boolean; updatedAt: string }> {
  const [row] = (await db('trading_controls')
    .insert({ id: controlsId, kill_switch: enabled, updated_at: db.fn.now(), updated_by: adminId })
    .onConflict('id')
    .merge()
    .returning(['kill_switch', 'updated_at'])) as Array<{ kill_switch: boolean; updated_at: Date }>;
  return { enabled: row?.kill_switch ?? enabled, updatedAt: (row?.updated_at ?? new Date()).toISOString() };
}
