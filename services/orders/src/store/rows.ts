import type { BrokerKind, OrderCommand, OrderType, Side, TimeInForce } from '@tickstream/contracts';
import type { OpenOrder, OrderState, OrderStatus, Position, TradingDayState, ValidOrder } from '../domain';

/** Statuses of an order still working (accepted, not done). */
export const OPEN_STATUSES: readonly OrderStatus[] = ['ACCEPTED', 'NEW', 'PARTIALLY_FILLED'];

/** A row of `orders` as pg returns it. */
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
  qty: number;
  avg_price: number;
  realized_pnl: number;
}

export interface AccountRow {
  account_id: string;
  trading_day: string | null;
  realized_today: number;
  halted_for_day: boolean;
}

/** The row a command starts as; `record` gives it its first real status in the same transaction. */
export function newOrderRow(
  cmd: OrderCommand,
  broker: BrokerKind,
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
    broker,
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

export function openOrderOf(row: OrderRow): OpenOrder {
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
  return { symbol: row.symbol, qty: row.qty, avgPrice: row.avg_price, realizedPnl: row.realized_pnl };
}

export function dayStateOf(row: AccountRow): TradingDayState | null {
  if (row.trading_day === null) return null;
  return {
    tradingDay: row.trading_day,
    realizedPnl: row.realized_today,
    tradingHaltedForDay: row.halted_for_day,
  };
}
