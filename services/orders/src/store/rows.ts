import type { BrokerKind, OrderCommand, OrderType, Side, TimeInForce } from '@tickstream/contracts';
import type { OpenOrder, OrderState, OrderStatus, Position, TradingDayState, ValidOrder } from '../domain';
import { dec } from '../domain';

/** A numeric column as pg returns it: an exact decimal string. */
type Numeric = string;

/** Statuses of an order still working (accepted, not done). */
export const OPEN_STATUSES: readonly OrderStatus[] = ['ACCEPTED', 'NEW', 'PARTIALLY_FILLED'];

/** A row of `orders` as pg returns it (numeric columns as strings), read through `orderOf`. */
export interface StoredOrderRow extends Omit<
  OrderRow,
  'qty' | 'limit_price' | 'stop_price' | 'filled_qty' | 'avg_fill_price'
> {
  qty: Numeric | null;
  limit_price: Numeric | null;
  stop_price: Numeric | null;
  filled_qty: Numeric;
  avg_fill_price: Numeric | null;
}

/** A row of `orders` with its quantities and prices as numbers (each a short decimal). */
export interface OrderRow {
  order_id: string;
  account_id: string;
  client_order_id: string;
  command_id: string;
  symbol: string | null;
  side: Side | null;
  qty: number | null;
  order_type: OrderType | null;
  time_in_force: TimeInForce | null;
  limit_price: number | null;
  stop_price: number | null;
  broker: BrokerKind;
  broker_order_id: string | null;
  status: OrderStatus;
  filled_qty: number;
  avg_fill_price: number | null;
  reason_code: string | null;
  reason: string | null;
  last_seq: number;
  command_partition: number;
  issued_at: Date;
  accepted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PositionRow {
  account_id: string;
  symbol: string;
  qty: Numeric;
  avg_price: Numeric;
  realized_pnl: Numeric;
}

export interface AccountRow {
  account_id: string;
  trading_day: string | null;
  realized_today: Numeric;
  halted_for_day: boolean;
  halted_at: Date | null;
  halt_limit: Numeric | null;
  halt_pnl: Numeric | null;
}

export const num = (v: Numeric | null): number | null => (v === null ? null : Number(v));

/**
 * Quantities and order prices are short decimals (at most 9 and 6 places): the double nearest
 * each prints as that decimal, and the domain reads it back exactly with `dec`. The order's
 * average fill price (10 decimals) is shown, never summed; money (positions, the day) stays
 * decimal from the column on.
 */
export function orderOf(row: StoredOrderRow): OrderRow {
  return {
    ...row,
    qty: num(row.qty),
    limit_price: num(row.limit_price),
    stop_price: num(row.stop_price),
    filled_qty: Number(row.filled_qty),
    avg_fill_price: num(row.avg_fill_price),
  };
}

/** The row a command starts as; `record` gives it its first real status in the same transaction. */
export function newOrderRow(
  cmd: OrderCommand,
  partition: number,
  scope: string,
): Partial<OrderRow> & { scope: string } {
  return {
    order_id: cmd.order_id,
    account_id: cmd.account_id,
    client_order_id: cmd.client_order_id,
    command_id: cmd.command_id,
    symbol: cmd.symbol,
    side: cmd.side,
    qty: cmd.qty,
    order_type: cmd.order_type,
    time_in_force: cmd.time_in_force,
    limit_price: cmd.limit_price,
    stop_price: cmd.stop_price,
    broker: cmd.broker,
    status: 'RECEIVED' as OrderStatus,
    command_partition: partition,
    scope,
    issued_at: new Date(cmd.issued_at),
  };
}

export function stateOf(row: OrderRow): OrderState {
  return {
    accountId: row.account_id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    qty: row.qty ?? 0,
    broker: row.broker,
    status: row.last_seq === 0 ? null : row.status,
    seq: row.last_seq,
    filledQty: row.filled_qty,
    avgFillPrice: row.avg_fill_price,
  };
}

/** The validated order a stored row was accepted as; only for rows that passed validation. */
export function validOrderOf(row: OrderRow): ValidOrder {
  return {
    orderId: row.order_id,
    accountId: row.account_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol ?? '',
    side: row.side ?? 'BUY',
    qty: row.qty ?? 0,
    type: row.order_type ?? 'MARKET',
    timeInForce: row.time_in_force ?? 'DAY',
    limitPrice: row.limit_price,
    stopPrice: row.stop_price,
    broker: row.broker,
    issuedAt: row.issued_at.getTime(),
  };
}

export function openOrderOf(
  row: Pick<
    OrderRow,
    'order_id' | 'account_id' | 'symbol' | 'side' | 'qty' | 'filled_qty' | 'limit_price' | 'stop_price'
  >,
): OpenOrder {
  return {
    orderId: row.order_id,
    accountId: row.account_id,
    symbol: row.symbol ?? '',
    side: row.side ?? 'BUY',
    remainingQty: (row.qty ?? 0) - row.filled_qty,
    price: row.limit_price ?? row.stop_price,
  };
}

export function positionOf(row: PositionRow): Position {
  return {
    symbol: row.symbol,
    qty: Number(row.qty),
    avgPrice: dec(row.avg_price),
    realizedPnl: dec(row.realized_pnl),
  };
}

export function dayStateOf(row: AccountRow): TradingDayState | null {
  if (row.trading_day === null) return null;
  return {
    tradingDay: row.trading_day,
    realizedPnl: dec(row.realized_today),
    halt: row.halted_for_day
      ? {
          at: row.halted_at?.getTime() ?? null,
          limit: row.halt_limit === null ? null : dec(row.halt_limit),
          pnl: row.halt_pnl === null ? null : dec(row.halt_pnl),
        }
      : null,
  };
}
