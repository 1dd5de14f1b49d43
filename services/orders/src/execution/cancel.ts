import type { ExternalBroker } from './commands';
import type { Ledger } from './ledger';
import type { SimBroker } from './sim-broker';
import { OPEN_STATUSES, stateOf } from '../store';

export interface CancelDeps {
  ledger: Ledger;
  sim: SimBroker;
  alpaca: ExternalBroker;
}

/**
 * Cancels one order of the account if it is still open: the user's cancel and the kill switch
 * both come here. Under the account's lock, an order the service holds (the simulator's, or an
 * Alpaca order Alpaca has not acknowledged yet) is taken off the book and CANCELED in the same
 * transaction; an order working at Alpaca is asked to cancel after the commit, and its CANCELED
 * event follows from Alpaca's updates. An order that is no longer open is left as it is.
 */
export async function cancelOpenOrder(
  deps: CancelDeps,
  accountId: string,
  orderId: string,
  why: { reasonCode: string; reason: string },
): Promise<void> {
  const { ledger, sim, alpaca } = deps;
  const external = await ledger.inAccount(accountId, async (tx) => {
    const row = await tx.order(orderId);
    if (!row || !OPEN_STATUSES.includes(row.status)) return null;
    if (row.broker === 'ALPACA' && row.status !== 'ACCEPTED') return row;
    sim.remove(row.order_id);
    await tx.record(stateOf(row), { type: 'CANCELED', ...why });
    return null;
  });
  if (external) await alpaca.cancel(external, why.reasonCode, why.reason);
}
