import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** The terms of the order these tests place: buy 5 AAPL, limit 150, good till cancelled. */
export const LIMIT_BUY_TERMS = {
  symbol: 'AAPL',
  side: 'BUY',
  qty: 5,
  order_type: 'LIMIT',
  time_in_force: 'GTC',
  limit_price: 150,
} as const;

/**
 * An order row as the order service writes it, for the gateway's reads: an accepted SIM limit
 * order to buy 5 AAPL at 150 with fresh ids, unless `row` says otherwise. Returns its order_id.
 */
export async function insertOrderRow(
  db: Knex,
  row: { account_id: string } & Record<string, unknown>,
): Promise<string> {
  const full = {
    order_id: randomUUID(),
    client_order_id: randomUUID(),
    command_id: randomUUID(),
    ...LIMIT_BUY_TERMS,
    broker: 'SIM',
    status: 'ACCEPTED',
    last_seq: 1,
    issued_at: new Date(),
    ...row,
  };
  await db('orders').insert(full);
  return full.order_id as string;
}
