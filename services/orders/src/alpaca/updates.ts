import { isTerminal, roundQty } from '../domain';
import type { Ledger } from '../execution';
import { stateOf } from '../store';
import type { AlpacaOrder } from './client';

const DONE: Record<string, { type: 'CANCELED' | 'EXPIRED'; code: string; reason: string }> = {
  canceled: { type: 'CANCELED', code: 'ALPACA_CANCELED', reason: 'canceled at Alpaca' },
  expired: { type: 'EXPIRED', code: 'ALPACA_EXPIRED', reason: 'expired at Alpaca' },
};

/**
 * Brings our record of an Alpaca order up to what Alpaca reports, whether from a trade update,
 * the answer to the submission, or a reconciliation after reconnecting. Driven by Alpaca's
 * cumulative filled_qty rather than by counting fill messages, so a repeated or missed update
 * cannot double or lose a fill.
 */
export async function applyAlpacaState(
  ledger: Ledger,
  accountId: string,
  order: AlpacaOrder,
  update: { event: string; price?: string; qty?: string },
  onFill?: (issuedAt: number) => void,
): Promise<void> {
  const issuedAt = await ledger.inAccount(accountId, async (tx) => {
    const row = await tx.order(order.client_order_id);
    if (!row || row.broker !== 'ALPACA' || row.last_seq === 0 || isTerminal(row.status)) return null;
    if (row.broker_order_id === null)
      await tx.trx('orders').where({ order_id: row.order_id }).update({ broker_order_id: order.id });
    let s = stateOf(row);
    if (s.status === 'ACCEPTED') {
      if (update.event === 'rejected' || order.status === 'rejected') {
        await tx.record(s, {
          type: 'REJECTED',
          reasonCode: 'ALPACA_REJECTED',
          reason: 'Alpaca rejected the order',
        });
        return null;
      }
      s = await tx.record(s, { type: 'NEW' });
    }
    const target = Number(order.filled_qty);
    const delta = roundQty(target - s.filledQty);
    let filled = false;
    if (delta > 0) {
      const avg = Number(order.filled_avg_price ?? update.price ?? 0);
      // The update's own price covers only its own qty; when the delta spans executions we never
      // saw (a missed update), what Alpaca's cumulative average implies is the honest price.
      const own =
        update.price !== undefined && update.qty !== undefined && roundQty(Number(update.qty)) === delta;
      const price = own ? Number(update.price) : (target * avg - s.filledQty * (s.avgFillPrice ?? 0)) / delta;
      s = await tx.record(s, { type: 'FILL', qty: delta, price });
      filled = true;
    }
    const done = DONE[order.status];
    if (done && s.status !== null && !isTerminal(s.status))
      await tx.record(s, { type: done.type, reasonCode: done.code, reason: done.reason });
    return filled ? row.issued_at.getTime() : null;
  });
  if (issuedAt !== null) onFill?.(issuedAt);
}
