import type { OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Money, OrderState, OrderTransition, Position } from '../domain';
import { ZERO, applyFill, flatPosition, recordRealized, toSql, transition } from '../domain';
import { saveDayState } from './accounts';
import type { AccountRow, PositionRow } from './rows';
import { dayStateOf, positionOf } from './rows';

export interface Recorded {
  state: OrderState;
  event: OrderEvent;
  /** Id of the event's outbox row, for the publisher to send it right after the commit. */
  outboxId: string;
}

async function positionFor(trx: Knex.Transaction, accountId: string, symbol: string): Promise<Position> {
  const row = (await trx('positions').where({ account_id: accountId, symbol }).first()) as
    PositionRow | undefined;
  return row ? positionOf(row) : flatPosition(symbol);
}

/** A fill moves the position and the day's realized P&L; both are written here with the order. */
async function applyToPosition(
  trx: Knex.Transaction,
  state: OrderState,
  fill: { qty: number; price: number },
  time: number,
): Promise<{ position: Position; realized: Money }> {
  const symbol = state.symbol ?? '';
  const before = await positionFor(trx, state.accountId, symbol);
  const { position, realized } = applyFill(before, {
    side: state.side ?? 'BUY',
    qty: fill.qty,
    price: fill.price,
  });
  await trx('positions')
    .insert({
      account_id: state.accountId,
      symbol,
      qty: toSql(position.qty),
      avg_price: toSql(position.avgPrice),
      realized_pnl: toSql(position.realizedPnl),
      updated_at: trx.fn.now(),
    })
    .onConflict(['account_id', 'symbol'])
    .merge();
  const account = (await trx('order_accounts').where({ account_id: state.accountId }).first()) as AccountRow;
  await saveDayState(trx, state.accountId, recordRealized(dayStateOf(account), realized, time));
  return { position, realized };
}

/**
 * Moves an order to its next status inside the caller's transaction (the account must be
 * locked): updates the order row, and for a fill the fills, the position and the day's realized
 * P&L, then stores the event and queues it in the outbox. Nothing reaches Kafka until the
 * transaction commits and the outbox publisher runs, so a crash anywhere leaves either all of
 * it or none.
 */
export async function record(
  trx: Knex.Transaction,
  state: OrderState,
  t: OrderTransition,
  time: number,
  topic: string,
): Promise<Recorded> {
  let position: Position | null = null;
  let realized = ZERO;
  if (t.type === 'FILL') ({ position, realized } = await applyToPosition(trx, state, t, time));
  const { state: next, event } = transition(state, t, { time, position });
  const update: Record<string, unknown> = {
    status: next.status,
    filled_qty: toSql(next.filledQty),
    avg_fill_price: next.avgFillPrice === null ? null : toSql(next.avgFillPrice),
    last_seq: next.seq,
    updated_at: trx.fn.now(),
  };
  if (t.type === 'ACCEPTED') update.accepted_at = new Date(time);
  if (event.reason_code !== null)
    Object.assign(update, { reason_code: event.reason_code, reason: event.reason });
  await trx('orders').where({ order_id: state.orderId }).update(update);
  if (t.type === 'FILL') {
    await trx('fills').insert({
      fill_id: event.event_id,
      order_id: state.orderId,
      account_id: state.accountId,
      symbol: state.symbol,
      side: state.side,
      qty: toSql(t.qty),
      price: toSql(t.price),
      realized_pnl: toSql(realized),
      filled_at: new Date(time),
    });
  }
  await trx('order_events').insert({
    event_id: event.event_id,
    order_id: state.orderId,
    account_id: state.accountId,
    seq: event.seq,
    type: event.type,
    payload: JSON.stringify(event),
    event_time: new Date(time),
  });
  const [outbox] = (await trx('outbox')
    .insert({
      topic_id: topic,
      record_key: state.accountId,
      payload: JSON.stringify(event),
    })
    .returning('id')) as Array<{ id: string | number }>;
  return { state: next, event, outboxId: String(outbox?.id) };
}
