import type { OrderCommand, OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Logger } from '@tickstream/platform';
import { TickstreamError } from '@tickstream/platform';
import type { OrderState, OrderTransition, TradingDayState } from '../domain';
import type {
  AccountBook,
  OrderRow,
  OutboxPublisher,
  OutboxRow,
  Recorded,
  RiskInputs,
  StoredOrderRow,
} from '../store';
import {
  OPEN_STATUSES,
  loadRiskInputs,
  lockAccount,
  newOrderRow,
  orderOf,
  record,
  saveDayState,
  writeRecorded,
} from '../store';

/** One account's transaction: the account row is locked, events are collected for after commit. */
export interface AccountTx {
  readonly trx: Knex.Transaction;
  readonly accountId: string;
  /** The account's trading day: as its lock read it, then as this transaction moved it (fills, a halt). */
  readonly day: TradingDayState | null;
  /**
   * Moves an order on. Its row, event, fill and outbox row are written when `work` returns (or
   * before `order` reads), so read an order through `order`, not `trx`, once it was recorded.
   */
  record(state: OrderState, t: OrderTransition, time?: number): Promise<OrderState>;
  order(orderId: string): Promise<OrderRow | undefined>;
  /** What the pre-trade checks read of the account at `now`; its fills then read no position. */
  riskInputs(now: number): Promise<RiskInputs>;
  /** Stores the account's trading day (a halt) now, and as the day its later fills start from. */
  saveDay(day: TradingDayState): Promise<void>;
  /** Runs if the transaction rolls back: undoes in-memory changes made for it (the sim book). */
  onRollback(undo: () => void): void;
}

export interface LedgerHooks {
  /** Called with the events of every committed transaction, before they are published. */
  committed?(events: readonly OrderEvent[]): void;
}

/**
 * Runs every change to an account as one Postgres transaction under the account's lock, then
 * hands the transaction's outbox rows, and the account's older ones still unpublished, to the
 * publisher, which sends them at once.
 */
export class Ledger {
  constructor(
    private readonly opts: {
      db: Knex;
      outbox: OutboxPublisher;
      log: Logger;
      now: () => number;
      controlsId: string;
      scope: string;
      eventsTopic: string;
      hooks?: LedgerHooks;
    },
  ) {}

  get db(): Knex {
    return this.opts.db;
  }

  /** The trading_controls row whose kill switch applies. */
  get controlsId(): string {
    return this.opts.controlsId;
  }

  /** TOPIC_PREFIX of this deployment: it executes and publishes only orders of its own scope. */
  get scope(): string {
    return this.opts.scope;
  }

  now(): number {
    return this.opts.now();
  }

  async inAccount<T>(accountId: string, work: (tx: AccountTx) => Promise<T>): Promise<T> {
    const events: OrderEvent[] = [];
    const outboxRows: OutboxRow[] = [];
    // The account's rows still unpublished before this transaction's (read by its first insert).
    let older: OutboxRow[] | null = [];
    const undo: Array<() => void> = [];
    let result: T;
    try {
      result = await this.opts.db.transaction(async (trx) => {
        let pending: Recorded[] = [];
        // One round trip for all the transitions recorded since the last write (see writeRecorded).
        const write = async () => {
          if (pending.length === 0) return;
          const written = pending;
          pending = [];
          const first = outboxRows.length === 0;
          const inserted = await writeRecorded(
            trx,
            { topic: this.opts.eventsTopic, accountId, withOlder: first },
            written,
          );
          if (first) older = inserted.older;
          const { ids } = inserted;
          written.forEach(({ event }, i) => {
            events.push(event);
            outboxRows.push({ id: ids[i] as string, record_key: accountId, payload: event });
          });
        };
        const book: AccountBook = {
          day: await lockAccount(trx, accountId),
          positions: new Map(),
          complete: false,
        };
        const value = await work({
          trx,
          accountId,
          get day() {
            return book.day;
          },
          record: async (state, t, time) => {
            const r = await record(trx, book, state, t, time ?? this.opts.now());
            pending.push(r);
            return r.state;
          },
          riskInputs: async (now) => {
            const inputs = await loadRiskInputs(trx, accountId, book.day, now, this.opts.controlsId);
            // Positions a fill of this transaction already moved (not written yet) stay as moved,
            // for the checks as for the fills after them.
            book.positions = new Map([...inputs.positions, ...book.positions]);
            book.complete = true;
            return { ...inputs, positions: book.positions };
          },
          saveDay: async (next) => {
            await saveDayState(trx, accountId, next);
            book.day = next;
          },
          order: async (orderId) => {
            await write();
            const row = (await trx('orders').where({ order_id: orderId, account_id: accountId }).first()) as
              StoredOrderRow | undefined;
            return row && orderOf(row);
          },
          onRollback: (fn) => undo.push(fn),
        });
        await write();
        return value;
      });
    } catch (err) {
      for (const fn of undo.reverse()) fn();
      throw err;
    }
    if (events.length > 0) {
      this.opts.hooks?.committed?.(events);
      this.opts.outbox.committed(outboxRows, older);
    }
    return result;
  }

  /**
   * Inserts the row a PLACE command starts as and answers undefined, or, when the command repeats
   * an order (its order id, or the account's client order id, is taken), inserts nothing and
   * answers that order. One round trip for a new order: the insert is the check.
   */
  async insertOrExisting(
    trx: Knex.Transaction,
    cmd: OrderCommand,
    partition: number,
  ): Promise<OrderRow | undefined> {
    const inserted = (await trx('orders')
      .insert(newOrderRow(cmd, partition, this.scope))
      .onConflict()
      .ignore()
      .returning('order_id')) as unknown[];
    if (inserted.length > 0) return undefined;
    const existing = await this.existing(trx, cmd);
    if (!existing)
      throw new TickstreamError(
        'ORDER_ROW_UNSEEN',
        `order ${cmd.order_id} conflicted but could not be read`,
        {
          retryable: true,
        },
      );
    return existing;
  }

  /** The order a PLACE command names, by its id or by the account's client order id. */
  async existing(trx: Knex.Transaction, cmd: OrderCommand): Promise<OrderRow | undefined> {
    const row = (await trx('orders')
      .where({ order_id: cmd.order_id })
      .orWhere({ account_id: cmd.account_id, client_order_id: cmd.client_order_id })
      .first()) as StoredOrderRow | undefined;
    return row && orderOf(row);
  }

  /** Open orders of the given command partitions (all when undefined), oldest first. */
  async openOrders(filter: { partitions?: readonly number[]; broker?: string } = {}): Promise<OrderRow[]> {
    const q = this.opts
      .db('orders')
      .where({ scope: this.opts.scope })
      .whereIn('status', OPEN_STATUSES)
      .orderBy('created_at');
    if (filter.partitions) q.whereIn('command_partition', filter.partitions);
    if (filter.broker) q.where({ broker: filter.broker });
    return ((await q) as StoredOrderRow[]).map(orderOf);
  }
}
