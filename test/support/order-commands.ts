import { randomUUID } from 'node:crypto';
import type { OrderCommand } from '@tickstream/contracts';

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
