import type { Logger } from '@tickstream/platform';
import type { OrderState, SimFill, ValidOrder } from '../domain';
import { SimOrderBook, sessionCloseAfter } from '../domain';
import type { OrderRow } from '../store';
import { OPEN_STATUSES, stateOf, validOrderOf } from '../store';
import type { AccountTx, Ledger } from './ledger';
import type { QuoteBook } from './quotes';

/**
 * The simulated broker of this instance: the sim book holding the working SIM orders of the
 * command partitions this instance owns, fed by md.quotes.v1. Postgres is the record; the book is
 * rebuilt from its open orders on start and whenever partitions move.
 */
export class SimBroker {
  private book = new SimOrderBook();
  private readonly accountOf = new Map<string, string>();
  private partitions: readonly number[] | undefined;
  private rebuilding: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: {
      ledger: Ledger;
      quotes: QuoteBook;
      log: Logger;
      onFill?: (issuedAt: number) => void;
    },
  ) {}

  /** Partitions of orders.commands.v1 now owned (undefined: all). */
  assign(partitions: readonly number[] | undefined): Promise<void> {
    this.partitions = partitions;
    this.rebuilding = this.rebuilding.catch(() => undefined).then(() => this.rebuild());
    return this.rebuilding;
  }

  ready(): Promise<void> {
    return this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    const rows = await this.opts.ledger.openOrders({ partitions: this.partitions, broker: 'SIM' });
    const working = rows.filter((r) => r.status !== 'ACCEPTED');
    this.accountOf.clear();
    // Stops that had fired before the restart fire again on the next quote through their price.
    this.book = SimOrderBook.restore({
      version: 1,
      nextArrival: working.length + 1,
      lastQuotes: [...this.opts.quotes.latest.values()],
      orders: working.map((r, i) => ({
        order: validOrderOf(r),
        arrival: i + 1,
        remainingQty: (r.qty ?? 0) - r.filled_qty,
        triggered: false,
        expiresAt: expiryOf(r),
      })),
    });
    for (const r of working) this.accountOf.set(r.order_id, r.account_id);
    this.opts.log.info(
      { orders: working.length, partitions: this.partitions ?? 'all' },
      'sim book rebuilt from open orders',
    );
  }

  /**
   * Sends a just-accepted order to the book inside its transaction: NEW, immediate fills, IOC/FOK
   * leftovers, none of them timed before `acceptedAt`.
   */
  async execute(
    tx: AccountTx,
    state: OrderState,
    order: ValidOrder,
    acceptedAt: number,
  ): Promise<OrderState> {
    const quote = this.opts.quotes.get(order.symbol);
    const result = this.book.add(order, quote, acceptedAt);
    this.accountOf.set(order.orderId, order.accountId);
    tx.onRollback(() => {
      this.book.cancel(order.orderId);
      this.accountOf.delete(order.orderId);
    });
    let s = await tx.record(state, { type: 'NEW' }, acceptedAt);
    for (const f of result.fills)
      s = await tx.record(s, { type: 'FILL', qty: f.qty, price: f.price }, f.time);
    if (result.canceled)
      s = await tx.record(s, {
        type: 'CANCELED',
        reasonCode: result.canceled.reasonCode,
        reason: result.canceled.reason,
      });
    return s;
  }

  /** Removes a working order from the book (cancel, kill switch); true if the book held it. */
  remove(orderId: string): boolean {
    this.accountOf.delete(orderId);
    return this.book.cancel(orderId) !== null;
  }

  /** Matches a quote against resting orders and records each fill in its account's transaction. */
  async onQuote(quote: Parameters<SimOrderBook['onQuote']>[0]): Promise<void> {
    for (const fill of this.book.onQuote(quote)) await this.recordFill(fill);
  }

  /** Expires DAY orders whose session has closed. */
  async expire(now: number): Promise<number> {
    const due = this.book.expire(now);
    for (const r of due) {
      const accountId = this.accountOf.get(r.order.orderId);
      this.accountOf.delete(r.order.orderId);
      if (!accountId) continue;
      await this.opts.ledger.inAccount(accountId, async (tx) => {
        const row = await tx.order(r.order.orderId);
        if (!row || !OPEN_STATUSES.includes(row.status)) return;
        await tx.record(stateOf(row), {
          type: 'EXPIRED',
          reasonCode: 'DAY_ORDER_EXPIRED',
          reason: 'day order expired at the session close',
        });
      });
    }
    return due.length;
  }

  private async recordFill(fill: SimFill): Promise<void> {
    const accountId = this.accountOf.get(fill.orderId);
    if (!accountId) return;
    if (fill.remainingQty === 0) this.accountOf.delete(fill.orderId);
    try {
      const issuedAt = await this.opts.ledger.inAccount(accountId, async (tx) => {
        const row = await tx.order(fill.orderId);
        // Canceled or filled in Postgres meanwhile (another instance, a cancel): the fill never happened.
        if (
          !row ||
          !['NEW', 'PARTIALLY_FILLED'].includes(row.status) ||
          (row.qty ?? 0) - row.filled_qty < fill.qty - 1e-9
        )
          return null;
        await tx.record(stateOf(row), { type: 'FILL', qty: fill.qty, price: fill.price }, fill.time);
        return row.issued_at.getTime();
      });
      if (issuedAt !== null) this.opts.onFill?.(issuedAt);
    } catch (err) {
      this.opts.log.error(
        { err, orderId: fill.orderId },
        'could not record a sim fill; rebuilding the book from Postgres',
      );
      await this.assign(this.partitions);
    }
  }
}

function expiryOf(row: OrderRow): number | null {
  return row.time_in_force === 'DAY' ? sessionCloseAfter(row.issued_at.getTime()) : null;
}
