import type { BrokerKind, OrderCommand, OrderEvent, OrderEventType, Side } from '@tickstream/contracts';
import { IllegalTransitionError, OrderError, OverfillError } from './errors';
import { avgPrice, dec, roundQty } from './money';
import type { Position } from './position';

export type OrderStatus = OrderEventType;

/**
 * Which statuses each status may move to; `START` is an order with no event yet. ACCEPTED may
 * still end REJECTED (the broker refused it) or CANCELED (canceled before the broker
 * acknowledged it). Fills need NEW first: an order is working at the broker before it can trade.
 */
const NEXT: Record<OrderStatus | 'START', readonly OrderStatus[]> = {
  START: ['ACCEPTED', 'REJECTED'],
  ACCEPTED: ['NEW', 'REJECTED', 'CANCELED'],
  NEW: ['PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'],
  REJECTED: [],
  FILLED: [],
  CANCELED: [],
  EXPIRED: [],
};

export function isTerminal(status: OrderStatus): boolean {
  return NEXT[status].length === 0;
}

/** What the service knows about one order between events. */
export interface OrderState {
  readonly accountId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string | null;
  readonly side: Side | null;
  readonly qty: number;
  readonly broker: BrokerKind;
  /** Null before the first event. */
  readonly status: OrderStatus | null;
  /** Seq of the last event emitted; 0 before the first. */
  readonly seq: number;
  readonly filledQty: number;
  readonly avgFillPrice: number | null;
}

export type OrderTransition =
  | { readonly type: 'ACCEPTED' }
  | { readonly type: 'NEW' }
  | { readonly type: 'REJECTED'; readonly reasonCode: string; readonly reason: string }
  | { readonly type: 'FILL'; readonly qty: number; readonly price: number }
  | { readonly type: 'CANCELED'; readonly reasonCode: string; readonly reason: string }
  | { readonly type: 'EXPIRED'; readonly reasonCode: string; readonly reason: string };

export interface TransitionContext {
  readonly time: number;
  /** The account's position in the symbol after this event (after the fill, for a fill); null if none applies. */
  readonly position: Position | null;
}

/**
 * The state before an order's first event. Built from the raw command, because a command that
 * failed validation still gets a REJECTED event that names what it could.
 */
export function initialOrderState(cmd: OrderCommand): OrderState {
  return {
    accountId: cmd.account_id,
    orderId: cmd.order_id,
    clientOrderId: cmd.client_order_id,
    symbol: cmd.symbol,
    side: cmd.side,
    qty: cmd.qty !== null && Number.isFinite(cmd.qty) ? cmd.qty : 0,
    broker: cmd.broker,
    status: null,
    seq: 0,
    filledQty: 0,
    avgFillPrice: null,
  };
}

/** Deterministic, so a replayed command yields the same event ids and consumers can dedupe. */
export function orderEventId(orderId: string, seq: number): string {
  return `${orderId}:${seq}`;
}

function nextStatus(
  state: OrderState,
  t: OrderTransition,
): { status: OrderStatus; filledQty: number; avg: number | null } {
  if (t.type !== 'FILL') return { status: t.type, filledQty: state.filledQty, avg: state.avgFillPrice };
  if (!(t.qty > 0) || !(t.price > 0)) {
    throw new OrderError(
      'INVALID_FILL',
      `order ${state.orderId}: fill of ${t.qty} @ ${t.price} is not a positive trade`,
    );
  }
  const remaining = roundQty(state.qty - state.filledQty);
  if (roundQty(t.qty) > remaining) throw new OverfillError(state.orderId, t.qty, remaining);
  const filledQty = roundQty(state.filledQty + t.qty);
  const cost = dec(state.avgFillPrice ?? 0)
    .times(state.filledQty)
    .plus(dec(t.price).times(t.qty));
  const avg = avgPrice(cost.div(filledQty)).toNumber();
  return { status: filledQty >= state.qty ? 'FILLED' : 'PARTIALLY_FILLED', filledQty, avg };
}

/**
 * Moves an order to its next status and builds the event that records it. Throws
 * `IllegalTransitionError` for a move the lifecycle does not allow (e.g. a fill on a canceled
 * order), and `OverfillError` for a fill beyond the ordered quantity.
 */
export function transition(
  state: OrderState,
  t: OrderTransition,
  ctx: TransitionContext,
): { state: OrderState; event: OrderEvent } {
  const from = state.status ?? 'START';
  // Both fill statuses are reachable from the same statuses, so FILLED stands in for either.
  if (!NEXT[from].includes(t.type === 'FILL' ? 'FILLED' : t.type)) {
    throw new IllegalTransitionError(state.orderId, from, t.type);
  }
  const { status, filledQty, avg } = nextStatus(state, t);
  const seq = state.seq + 1;
  const next: OrderState = { ...state, status, seq, filledQty, avgFillPrice: avg };
  const isFill = t.type === 'FILL';
  const hasReason = t.type === 'REJECTED' || t.type === 'CANCELED' || t.type === 'EXPIRED';
  const event: OrderEvent = {
    event_id: orderEventId(state.orderId, seq),
    account_id: state.accountId,
    order_id: state.orderId,
    client_order_id: state.clientOrderId,
    seq,
    type: status,
    symbol: state.symbol,
    side: state.side,
    qty: state.qty,
    filled_qty: filledQty,
    avg_fill_price: avg,
    last_fill_qty: isFill ? t.qty : null,
    last_fill_price: isFill ? t.price : null,
    reason_code: hasReason ? t.reasonCode : null,
    reason: hasReason ? t.reason : null,
    position_qty: ctx.position?.qty ?? null,
    // Avro doubles: the cents (and the 10-decimal average) are the shortest text of these doubles.
    position_avg_price: ctx.position && ctx.position.qty !== 0 ? ctx.position.avgPrice.toNumber() : null,
    realized_pnl: ctx.position ? ctx.position.realizedPnl.toNumber() : null,
    broker: state.broker,
    event_time: ctx.time,
  };
  return { state: next, event };
}
