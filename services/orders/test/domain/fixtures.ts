import type { OrderCommand, Quote } from '@tickstream/contracts';
import type { ValidOrder } from '../../src/domain';
import { placeCommand as sharedPlaceCommand } from '../../../../test/support/order-commands';

/** 2024-03-06 (a Wednesday) 15:00 UTC = 10:00 in New York: mid-session, EST. */
export const T0 = Date.UTC(2024, 2, 6, 15, 0, 0);

/**
 * The shared PLACE command (test/support) with fixed ids and time, so domain results compare
 * exactly: a day limit buy of 100 AAPL at 150.
 */
export function placeCommand(overrides: Partial<OrderCommand> = {}): OrderCommand {
  return sharedPlaceCommand('acct-1', {
    command_id: 'cmd-1',
    order_id: 'ord-1',
    client_order_id: 'client-1',
    qty: 100,
    order_type: 'LIMIT',
    limit_price: 150,
    issued_at: T0,
    ...overrides,
  });
}

export function order(overrides: Partial<ValidOrder> = {}): ValidOrder {
  return {
    orderId: 'ord-1',
    accountId: 'acct-1',
    clientOrderId: 'client-1',
    symbol: 'AAPL',
    side: 'BUY',
    qty: 100,
    type: 'MARKET',
    timeInForce: 'DAY',
    limitPrice: null,
    stopPrice: null,
    broker: 'SIM',
    issuedAt: T0,
    ...overrides,
  };
}

export function quote(
  bid: number,
  ask: number,
  opts: { symbol?: string; time?: number; bidSize?: number; askSize?: number } = {},
): Quote {
  return {
    symbol: opts.symbol ?? 'AAPL',
    event_time: opts.time ?? T0,
    ingest_time: opts.time ?? T0,
    bid_price: bid,
    bid_size: opts.bidSize ?? 1_000,
    ask_price: ask,
    ask_size: opts.askSize ?? 1_000,
    bid_exchange: null,
    ask_exchange: null,
    conditions: [],
    tape: null,
    source: 'sim',
  };
}
