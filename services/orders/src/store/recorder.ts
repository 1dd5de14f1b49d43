import type { OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Money, OrderState, OrderTransition, Position } from '../domain';
import { ZERO, applyFill, flatPosition, recordRealized, toSql, transition } from '../domain';
import { dayStateColumns } from './accounts';
import type { InsertedOutbox } from './outbox-table';
import { insertOutbox } from './outbox-table';
import type { AccountRow } from './rows';
import { dayStateOf, positionOf } from './rows';

/** A transition as recorded in its transaction; `writeRecorded` stores what it leaves to write. */
export interface Recorded {
  state: OrderState;
  event: OrderEvent;
  /** Columns of the order's row as of this transition. */
  orderUpdate: Record<string, unknown>;
  /** The row of `fills`, for a fill. */
  fill?: Record<string, unknown>;
}

/**
 * A fill moves the position and the day's realized P&L; both are written here with the order.
 * Two round trips under the account's lock: the position and the day read together, then
 * written together.
 */
async function applyToPosition(
  trx: Knex.Transaction,
  state: OrderState,
  fill: { qty: number; price: number },
  time: number,
): Promise<{ position: Position; realized: Money }> {
  const { accountId } = state;
  const symbol = state.symbol ?? '';
  const row = (await trx('order_accounts as a')
    .leftJoin('positions as p', (on) =>
      on.on('p.account_id', 'a.account_id').andOn('p.symbol', trx.raw('?', [symbol])),
    )
    .where('a.account_id', accountId)
    .first('a.*', 'p.qty', 'p.avg_price', 'p.realized_pnl')) as AccountRow &
    Partial<Record<'qty' | 'avg_price' | 'realized_pnl', string | null>>;
  const before =
    row.qty == null
      ? flatPosition(symbol)
      : positionOf({
          account_id: accountId,
          symbol,
          qty: row.qty,
          avg_price: row.avg_price as string,
          realized_pnl: row.realized_pnl as string,
        });
  const { position, realized } = applyFill(before, {
    side: state.side ?? 'BUY',
    qty: fill.qty,
    price: fill.price,
  });
  const upsert = trx('positions')
    .insert({
      account_id: accountId,
      symbol,
      qty: toSql(position.qty),
      avg_price: toSql(position.avgPrice),
      realized_pnl: toSql(position.realizedPnl),
      updated_at: trx.fn.now(),
    })
    .onConflict(['account_id', 'symbol'])
    .merge();
  await trx
    .with('position', upsert)
    .from('order_accounts')
    .where({ account_id: accountId })
    .update(dayStateColumns(trx, recordRealized(dayStateOf(row), realized, time)));
  return { position, realized };
}

/**
 * Moves an order to its next status inside the caller's transaction (the account must be
 * locked). A fill's position and the day's realized P&L are written at once (the next fill
 * reads them); the order row, the fill, the event and its outbox row are left to
 * `writeRecorded`, which the ledger calls once for the whole transaction, before its commit.
 * Nothing reaches Kafka until the transaction commits, so a crash anywhere leaves either all of
 * it or none.
 */
export async function record(
  trx: Knex.Transaction,
  state: OrderState,
  t: OrderTransition,
  time: number,
): Promise<Recorded> {
  let position: Position | null = null;
  let realized = ZERO;
  if (t.type === 'FILL') ({ position, realized } = await applyToPosition(trx, state, t, time));
  const { state: next, event } = transition(state, t, { time, position });
  const orderUpdate: Record<string, unknown> = {
    status: next.status,
    filled_qty: toSql(next.filledQty),
    avg_fill_price: next.avgFillPrice === null ? null : toSql(next.avgFillPrice),
    last_seq: next.seq,
  };
  if (t.type === 'ACCEPTED') orderUpdate.accepted_at = new Date(time);
  if (event.reason_code !== null)
    Object.assign(orderUpdate, { reason_code: event.reason_code, reason: event.reason });
  const fill =
    t.type === 'FILL'
      ? {
          fill_id: event.event_id,
          order_id: state.orderId,
          account_id: state.accountId,
          symbol: state.symbol,
          side: state.side,
          qty: toSql(t.qty),
          price: toSql(t.price),
          realized_pnl: toSql(realized),
          filled_at: new Date(time),
        }
      : undefined;
  return { state: next, event, orderUpdate, ...(fill ? { fill } : {}) };
}

/**
 * Stores recorded transitions of one account, in their order, in one statement: each order's row
 * once with its last state (the columns of its transitions merged, as consecutive updates would
 * leave them), the fills, the events and their outbox rows. A market order's ACCEPTED, NEW and
 * FILLED were nine statements, each a round trip to Postgres under the account's lock; now one.
 * The outbox ids come back in the order of `recorded` (rows of one VALUES list take their ids in
 * list order), so the publisher sends the events as they happened; with `withOlder`, so do the
 * account's older rows still unpublished (see `insertOutbox`).
 */
export async function writeRecorded(
  trx: Knex.Transaction,
  opts: { topic: string; accountId: string; withOlder: boolean },
  recorded: readonly Recorded[],
): Promise<InsertedOutbox> {
  if (recorded.length === 0) return { ids: [], older: [] };
  const updates = new Map<string, Record<string, unknown>>();
  for (const r of recorded)
    updates.set(r.event.order_id, { ...updates.get(r.event.order_id), ...r.orderUpdate });
  const fills = recorded.flatMap((r) => (r.fill ? [r.fill] : []));
  let insert = trx.with(
    'events',
    trx('order_events').insert(
      recorded.map(({ event }) => ({
        event_id: event.event_id,
        order_id: event.order_id,
        account_id: event.account_id,
        seq: event.seq,
        type: event.type,
        payload: JSON.stringify(event),
        event_time: new Date(event.event_time),
      })),
    ),
  );
  if (fills.length > 0) insert = insert.with('new_fills', trx('fills').insert(fills));
  [...updates].forEach(([orderId, update], i) => {
    insert = insert.with(
      `order_${i}`,
      trx('orders')
        .where({ order_id: orderId })
        .update({ ...update, updated_at: trx.fn.now() }),
    );
  });
  return insertOutbox(trx, insert, { ...opts, events: recorded.map((r) => r.event) });
}
