import type { OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { OrderState, OrderTransition, Position, TradingDayState } from '../domain';
import { ZERO, applyFill, flatPosition, recordRealized, toSql, transition } from '../domain';
import { dayStateColumns } from './accounts';
import type { InsertedOutbox } from './outbox-table';
import { insertOutbox } from './outbox-table';
import type { PositionRow } from './rows';
import { positionOf } from './rows';

/** A transition as recorded in its transaction; `writeRecorded` stores what it leaves to write. */
export interface Recorded {
  state: OrderState;
  event: OrderEvent;
  /** Columns of the order's row as of this transition. */
  orderUpdate: Record<string, unknown>;
  /** The row of `fills`, for a fill. */
  fill?: Record<string, unknown>;
  /** For a fill: the position it left and the account's day with its realized P&L. */
  moved?: { position: Position; day: TradingDayState };
}

/**
 * What a transaction knows of its account's day and positions: the day as its lock read it, the
 * positions the risk checks read (all of them: `complete`), each moved by the transaction's fills.
 * A fill reads its position from here, and its position and day are written with the order's
 * other rows (`writeRecorded`), not by round trips of their own under the account's lock.
 */
export interface AccountBook {
  day: TradingDayState | null;
  positions: Map<string, Position>;
  /** Every position of the account is in `positions`: a symbol missing is flat. */
  complete: boolean;
}

/** The account's position in `symbol` as this transaction has it (read once when not known yet). */
async function positionIn(
  trx: Knex.Transaction,
  book: AccountBook,
  accountId: string,
  symbol: string,
): Promise<Position> {
  const known = book.positions.get(symbol);
  if (known || book.complete) return known ?? flatPosition(symbol);
  const row = (await trx('positions').where({ account_id: accountId, symbol }).first()) as
    PositionRow | undefined;
  return row ? positionOf(row) : flatPosition(symbol);
}

/**
 * Moves an order to its next status inside the caller's transaction (the account must be
 * locked). A fill moves the position and the day's realized P&L in `book` (the next fill reads
 * them there); they, the order row, the fill, the event and its outbox row are left to
 * `writeRecorded`, which the ledger calls once for the whole transaction, before its commit.
 * Nothing reaches Kafka until the transaction commits, so a crash anywhere leaves either all of
 * it or none.
 */
export async function record(
  trx: Knex.Transaction,
  book: AccountBook,
  state: OrderState,
  t: OrderTransition,
  time: number,
): Promise<Recorded> {
  let moved: Recorded['moved'];
  let realized = ZERO;
  if (t.type === 'FILL') {
    const symbol = state.symbol ?? '';
    const before = await positionIn(trx, book, state.accountId, symbol);
    const applied = applyFill(before, { side: state.side ?? 'BUY', qty: t.qty, price: t.price });
    realized = applied.realized;
    moved = { position: applied.position, day: recordRealized(book.day, realized, time) };
    // The next fill of this transaction starts from here.
    book.positions.set(symbol, moved.position);
    book.day = moved.day;
  }
  const { state: next, event } = transition(state, t, { time, position: moved?.position ?? null });
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
  return { state: next, event, orderUpdate, ...(fill ? { fill } : {}), ...(moved ? { moved } : {}) };
}

/**
 * Stores recorded transitions of one account, in their order, in one statement: each order's row
 * once with its last state (the columns of its transitions merged, as consecutive updates would
 * leave them), the fills, the positions and the day they moved, the events and their outbox
 * rows. A market order's ACCEPTED, NEW and FILLED were eleven statements, each a round trip to
 * Postgres under the account's lock; now one.
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
  // Each position once, as the last fill left it (a statement may not change a row twice).
  const positions = new Map<string, Position>();
  let day: TradingDayState | undefined;
  for (const { moved } of recorded)
    if (moved) {
      positions.set(moved.position.symbol, moved.position);
      day = moved.day;
    }
  if (positions.size > 0)
    insert = insert.with(
      'moved_positions',
      trx('positions')
        .insert(
          [...positions.values()].map((p) => ({
            account_id: opts.accountId,
            symbol: p.symbol,
            qty: toSql(p.qty),
            avg_price: toSql(p.avgPrice),
            realized_pnl: toSql(p.realizedPnl),
            updated_at: trx.fn.now(),
          })),
        )
        .onConflict(['account_id', 'symbol'])
        .merge(),
    );
  if (day)
    insert = insert.with(
      'account_day',
      trx('order_accounts').where({ account_id: opts.accountId }).update(dayStateColumns(trx, day)),
    );
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
