import type { AccountSummary, PositionView } from '@tickstream/contracts';
import type { Knex } from 'knex';

interface PositionRow {
  symbol: string;
  qty: number;
  avg_price: number;
  realized_pnl: number;
  bid_price: number | null;
  ask_price: number | null;
}

/** Open positions valued at the marks the order service's risk checks use (table quote_marks). */
export async function listPositions(db: Knex, userId: string): Promise<PositionView[]> {
  const rows = (await db('positions as p')
    .leftJoin('quote_marks as m', 'm.symbol', 'p.symbol')
    .where('p.account_id', userId)
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
  return rows.map((r) => {
    const mark = r.qty > 0 ? r.bid_price : r.ask_price;
    return {
      symbol: r.symbol,
      qty: r.qty,
      avgPrice: r.avg_price,
      realizedPnl: r.realized_pnl,
      markPrice: mark,
      unrealizedPnl: mark === null ? null : (mark - r.avg_price) * r.qty,
      marketValue: mark === null ? null : mark * r.qty,
    };
  });
}

/** New York calendar date, the order service's trading day. */
export function newYorkDate(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export async function accountSummary(
  db: Knex,
  userId: string,
  defaults: Record<string, unknown>,
): Promise<AccountSummary> {
  const positions = await listPositions(db, userId);
  const day = (await db('order_accounts').where({ account_id: userId }).first()) as
    { trading_day: string | null; realized_today: number; halted_for_day: boolean } | undefined;
  const today = day?.trading_day === newYorkDate();
  const limits = (await db('risk_limits').where({ user_id: userId }).first('limits')) as
    { limits: Record<string, unknown> } | undefined;
  const enabled = limits?.limits.tradingEnabled ?? defaults.tradingEnabled ?? true;
  const controls = (await db('trading_controls').where({ id: 'global' }).first('kill_switch')) as
    { kill_switch: boolean } | undefined;
  const [open] = (await db('orders')
    .where({ account_id: userId })
    .whereIn('status', ['ACCEPTED', 'NEW', 'PARTIALLY_FILLED'])
    .count({ n: '*' })) as Array<{ n: string }>;
  return {
    realizedToday: today ? (day?.realized_today ?? 0) : 0,
    unrealized: positions.reduce((s, p) => s + (p.unrealizedPnl ?? 0), 0),
    grossExposure: positions.reduce((s, p) => s + Math.abs(p.qty) * (p.markPrice ?? p.avgPrice), 0),
    openOrders: Number(open?.n ?? 0),
    tradingEnabled: enabled !== false,
    haltedForDay: today && (day?.halted_for_day ?? false),
    killSwitch: controls?.kill_switch ?? false,
  };
}

export async function setKillSwitch(
  db: Knex,
  enabled: boolean,
  adminId: string,
): Promise<{ enabled: boolean; updatedAt: string }> {
  const [row] = (await db('trading_controls')
    .insert({ id: 'global', kill_switch: enabled, updated_at: db.fn.now(), updated_by: adminId })
    .onConflict('id')
    .merge()
    .returning(['kill_switch', 'updated_at'])) as Array<{ kill_switch: boolean; updated_at: Date }>;
  return { enabled: row?.kill_switch ?? enabled, updatedAt: (row?.updated_at ?? new Date()).toISOString() };
}
