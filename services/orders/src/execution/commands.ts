import type { OrderCommand } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { TickstreamError } from '@tickstream/platform';
import type { Rejection, ValidOrder } from '../domain';
import { checkRiskLimits, haltTradingForDay, initialOrderState, validatePlaceCommand } from '../domain';
import type { OrderMetrics } from '../metrics';
import type { OrderRow } from '../store';
import { validOrderOf } from '../store';
import { cancelOpenOrder } from './cancel';
import type { Ledger } from './ledger';
import type { QuoteBook } from './quotes';
import type { SimBroker } from './sim-broker';

/** A broker outside this process (Alpaca): orders go there after ACCEPTED is committed. */
export interface ExternalBroker {
  /** Null when the account can trade there, else why not (no keys, unreadable keys). */
  readiness(accountId: string): Promise<Rejection | null>;
  /** Sends an accepted order (idempotent on its order id) and records NEW or REJECTED. */
  submit(order: ValidOrder): Promise<void>;
  /** Asks the broker to cancel; the CANCELED event follows from its updates. */
  cancel(row: OrderRow, reasonCode: string, reason: string): Promise<void>;
}

export interface CommandDeps {
  ledger: Ledger;
  sim: SimBroker;
  alpaca: ExternalBroker;
  quotes: QuoteBook;
  metrics: OrderMetrics;
  log: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bad input that no retry can fix: the consumer dead-letters the record. */
function badCommand(code: string, message: string): TickstreamError {
  return new TickstreamError(code, message, { retryable: false });
}

/**
 * Handles one command of orders.commands.v1. Effectively once: the order row (unique by order id
 * and by the account's client order id) is written in the same transaction as its events, so a
 * redelivered or repeated PLACE finds it and does nothing, except resume an Alpaca submission a
 * crash interrupted.
 */
export function createCommandHandler(
  deps: CommandDeps,
): (cmd: OrderCommand, partition: number) => Promise<void> {
  const { ledger, sim, alpaca, quotes, metrics } = deps;

  async function place(cmd: OrderCommand, partition: number): Promise<void> {
    // The command names the broker (the gateway stamps the user's choice at placement): it is the
    // order's broker everywhere, in its row, its events and its execution.
    const brokerProblem = cmd.broker === 'ALPACA' ? await alpaca.readiness(cmd.account_id) : null;
    const outcome = await ledger.inAccount(cmd.account_id, async (tx) => {
      const existing = await ledger.insertOrExisting(tx.trx, cmd, partition);
      if (existing) {
        if (existing.account_id !== cmd.account_id)
          throw badCommand('ORDER_ID_CONFLICT', `order id ${cmd.order_id} belongs to another account`);
        return { kind: 'duplicate' as const, row: existing };
      }
      let state = initialOrderState(cmd);
      const refuse = async (r: Rejection) => {
        await tx.record(state, { type: 'REJECTED', reasonCode: r.code, reason: r.message });
        return { kind: 'done' as const, accepted: false, filled: false };
      };
      const valid = validatePlaceCommand(cmd, { allowFractional: cmd.broker === 'ALPACA' });
      if (!valid.ok) return refuse(valid);
      if (brokerProblem) return refuse(brokerProblem);
      const now = ledger.now();
      const inputs = await tx.riskInputs(now);
      const risk = checkRiskLimits(valid.value, {
        ...inputs,
        quotes: quotes.latest,
        now,
        tradingEnabled: inputs.limits.tradingEnabled,
      });
      if (!risk.ok) {
        if (risk.halt) await tx.saveDay(haltTradingForDay(tx.day, risk.halt));
        return refuse(risk);
      }
      state = await tx.record(state, { type: 'ACCEPTED' }, now);
      if (cmd.broker === 'ALPACA') return { kind: 'submit' as const, order: valid.value };
      state = await sim.execute(tx, state, valid.value, now);
      return { kind: 'done' as const, accepted: true, filled: state.filledQty > 0 };
    });
    if (outcome.kind === 'duplicate') {
      metrics.duplicates.inc();
      if (outcome.row.broker === 'ALPACA' && outcome.row.status === 'ACCEPTED')
        await alpaca.submit(validOrderOf(outcome.row));
      return;
    }
    const issuedAgoSec = Math.max(0, Date.now() - cmd.issued_at) / 1000;
    if (outcome.kind === 'submit') {
      metrics.commandToAccepted.observe(issuedAgoSec);
      await alpaca.submit(outcome.order);
      return;
    }
    if (outcome.accepted) metrics.commandToAccepted.observe(issuedAgoSec);
    if (outcome.filled) metrics.fillLatency.observe(issuedAgoSec);
  }

  return async (cmd, partition) => {
    if (!UUID.test(cmd.account_id) || !UUID.test(cmd.order_id))
      throw badCommand('INVALID_ID', 'account_id and order_id must be UUIDs');
    await sim.ready();
    if (cmd.action === 'PLACE') await place(cmd, partition);
    else
      await cancelOpenOrder(deps, cmd.account_id, cmd.order_id, {
        reasonCode: 'CANCELED_BY_USER',
        reason: 'canceled at your request',
      });
  };
}
