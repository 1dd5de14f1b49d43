import type {
  BrokerKind,
  OrderEventType,
  OrderType,
  OrderView,
  Side,
  TimeInForce,
} from '@tickstream/contracts';
import type { Knex } from 'knex';
import { decimalNumber, numeric } from './money';
import type { OrderTerms } from './placement';

export const OPEN_STATUSES = ['ACCEPTED', 'NEW', 'PARTIALLY_FILLED'] as const;
const FINAL_STATUSES = ['REJECTED', 'FILLED', 'CANCELED', 'EXPIRED'] as const;

// The order service's tables are read here, never written: orders change only through commands.
// Quantities and prices are numeric columns (exact decimal strings from pg).
type OrderRow = Record<string, unknown> & { order_id: string; created_at: Date; updated_at: Date };
type Numeric = string | null;

function view(
  row: OrderRow,
  fills: Array<{ order_id: string; qty: string; price: string; filled_at: Date }>,
): OrderView {
  const avg = row.avg_fill_price as Numeric;
  return {
    orderId: row.order_id,
    clientOrderId: row.client_order_id as string,
    symbol: row.symbol as string | null,
    side: row.side as Side | null,
    qty: numeric(row.qty as Numeric),
    type: row.order_type as OrderType | null,
    timeInForce: row.time_in_force as TimeInForce | null,
    limitPrice: numeric(row.limit_price as Numeric),
    stopPrice: numeric(row.stop_price as Numeric),
    broker: row.broker as BrokerKind,
    status: row.status as OrderEventType,
    filledQty: Number(row.filled_qty as string),
    avgFillPrice: avg === null ? null : decimalNumber(avg),
    reasonCode: row.reason_code as string | null,
    reason: row.reason as string | null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    fills: fills
      .filter((f) => f.order_id === row.order_id)
      .map((f) => ({ qty: Number(f.qty), price: Number(f.price), filledAt: f.filled_at.toISOString() })),
  };
}

async function withFills(db: Knex, rows: OrderRow[]): Promise<OrderView[]> {
  const ids = rows.map((r) => r.order_id);
  const fills = ids.length === 0 ? [] : await db('fills').whereIn('order_id', ids).orderBy('filled_at');
  return rows.map((r) => view(r, fills));
}

export type OrderFilter = 'open' | 'closed' | 'all';

/** The user's orders, newest first; at most `limit`. */
export async function listOrders(
  db: Knex,
  userId: string,
  filter: OrderFilter,
  limit: number,
): Promise<OrderView[]> {
  const q = db('orders')
    .where({ account_id: userId })
    .whereNot({ status: 'RECEIVED' })
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (filter === 'open') q.whereIn('status', OPEN_STATUSES);
  if (filter === 'closed') q.whereIn('status', FINAL_STATUSES);
  return withFills(db, (await q) as OrderRow[]);
}

export async function getOrder(db: Knex, userId: string, orderId: string): Promise<OrderView | undefined> {
  const row = (await db('orders').where({ account_id: userId, order_id: orderId }).first()) as
    OrderRow | undefined;
  return row ? (await withFills(db, [row]))[0] : undefined;
}

/** The account's order with this client order id, with its terms (a retry must repeat them). */
export async function orderByClientId(
  db: Knex,
  userId: string,
  clientOrderId: string,
): Promise<(OrderTerms & { order_id: string; command_id: string }) | undefined> {
  return (await db('orders')
    .where({ account_id: userId, client_order_id: clientOrderId })
    .first(
      'order_id',
      'command_id',
      'symbol',
      'side',
      'qty',
      'order_type',
      'time_in_force',
      'limit_price',
      'stop_price',
    )) as (OrderTerms & { order_id: string; command_id: string }) | undefined;
}
