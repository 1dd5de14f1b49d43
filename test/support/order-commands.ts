import { randomUUID } from 'node:crypto';
import type { OrderCommand, OrderEvent } from '@tickstream/contracts';

/**
 * A PLACE command as the gateway publishes it: a day market buy of 10 AAPL on the simulated
 * broker, fresh ids, issued now; `fields` overrides any of it.
 */
export function placeCommand(accountId: string, fields: Partial<OrderCommand> = {}): OrderCommand {
  return {
    command_id: randomUUID(),
    action: 'PLACE',
    account_id: accountId,
    order_id: randomUUID(),
    client_order_id: randomUUID(),
    symbol: 'AAPL',
    side: 'BUY',
    qty: 10,
    order_type: 'MARKET',
    time_in_force: 'DAY',
    limit_price: null,
    stop_price: null,
    broker: 'SIM',
    issued_at: Date.now(),
    ...fields,
  };
}

/**
 * An order event as the order service publishes it: ACCEPTED, the first of a new buy of 1 AAPL on
 * the simulated broker, nothing filled, fresh ids, now; `fields` overrides any of it.
 */
export function orderEvent(accountId: string, fields: Partial<OrderEvent> = {}): OrderEvent {
  const orderId = fields.order_id ?? randomUUID();
  return {
    event_id: `${orderId}:1`,
    account_id: accountId,
    order_id: orderId,
    client_order_id: randomUUID(),
    seq: 1,
    type: 'ACCEPTED',
    symbol: 'AAPL',
    side: 'BUY',
    qty: 1,
    filled_qty: 0,
    avg_fill_price: null,
    last_fill_qty: null,
    last_fill_price: null,
    reason_code: null,
    reason: null,
    position_qty: null,
    position_avg_price: null,
    realized_pnl: null,
    broker: 'SIM',
    event_time: Date.now(),
    ...fields,
  };
}

/**
 * Asserts the published events of `orders` after a fault: an event published again (the outbox
 * sweeps after a crash) is the same event, and each order went ACCEPTED, NEW, FILLED (by seq), once.
 * `name` tells the order in a failure.
 */
export function expectEachFilledOnce(
  events: OrderEvent[],
  orders: Array<{ orderId: string; name: string }>,
): void {
  const byEventId = new Map<string, OrderEvent>();
  for (const e of events) {
    const prior = byEventId.get(e.event_id);
    if (prior) expect(e).toEqual(prior);
    byEventId.set(e.event_id, e);
  }
  for (const o of orders) {
    const types = [...byEventId.values()]
      .filter((e) => e.order_id === o.orderId)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.type);
    expect({ order: o.name, types }).toEqual({
      order: o.name,
      types: ['ACCEPTED', 'NEW', 'FILLED'],
    });
  }
}
