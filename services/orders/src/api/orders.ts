import type {
  BrokerKind,
  OrderEventType,
  OrderType,
  OrderView,
  PlacedOrder,
  Side,
  TimeInForce,
} from '@tickstream/contracts';
import { ORDER_TERM_KEYS } from '@tickstream/contracts';
import type { Knex } from 'knex';
import { OPEN_STATUSES } from '../store';
import { decimalNumber, numeric } from './json';

const FINAL_STATUSES = ['REJECTED', 'FILLED', 'CANCELED', 'EXPIRED'] as const;

// Quantities and prices are numeric columns (exact decimal strings from pg).
type OrderRow = Record<string, unknown> & { order_id: string; created_at: Date; updated_at: Date };
type Numeric = string | null;
type FillRow = { order_id: string; qty: string; price: string; filled_at: Date };

function view(row: OrderRow, fills: FillRow[]): OrderView {
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
  const fills = (
    ids.length === 0 ? [] : await db('fills').whereIn('order_id', ids).orderBy('filled_at')
  ) as FillRow[];
  return rows.map((r) => view(r, fills));
}

export type OrderFilter = 'open' | 'closed' | 'all';

/** The account's orders, newest first; at most `limit`. RECEIVED (not yet checked) ones are not shown. */
export async function listOrders(
  db: Knex,
  accountId: string,
  filter: OrderFilter,
  limit: number,
): Promise<OrderView[]> {
  const q = db('orders')
    .where({ account_id: accountId })
    .whereNot({ status: 'RECEIVED' })
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (filter === 'open') q.whereIn('status', OPEN_STATUSES);
  if (filter === 'closed') q.whereIn('status', FINAL_STATUSES);
  return withFills(db, (await q) as OrderRow[]);
}

export async function getOrder(db: Knex, accountId: string, orderId: string): Promise<OrderView | undefined> {
  const row = (await db('orders').where({ account_id: accountId, order_id: orderId }).first()) as
    OrderRow | undefined;
  return row ? (await withFills(db, [row]))[0] : undefined;
}

/** The account's order with this client order id, with its terms. */
export async function orderByClientId(
  db: Knex,
  accountId: string,
  clientOrderId: string,
): Promise<PlacedOrder | undefined> {
  const row = (await db('orders')
    .where({ account_id: accountId, client_order_id: clientOrderId })
    .first('order_id', 'command_id', ...ORDER_TERM_KEYS)) as
    | (Omit<PlacedOrder, 'qty' | 'limit_price' | 'stop_price'> & {
        qty: Numeric;
        limit_price: Numeric;
        stop_price: Numeric;
      })
    | undefined;
  // Numbers, as the request's terms are: a retry compares them with these.
  return (
    row && {
      ...row,
      qty: numeric(row.qty),
      limit_price: numeric(row.limit_price),
      stop_price: numeric(row.stop_price),
    }
  );
}
