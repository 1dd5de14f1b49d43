import type { OrderCommand, OrderTerms, PlacedOrder } from '@tickstream/contracts';
import { ORDER_TERM_KEYS } from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/platform';

// What POST /api/orders does with a client_order_id, as pure decisions (the I/O is in place.ts).
//
// A client order id names one order. The gateway reserves it in Redis with the full PLACE
// command before publishing, as "pending": the command may or may not be in Kafka. A retry with
// the same id publishes that same command again (same order id and command id); the order
// service makes at most one order per order id and per (account, client order id), so a second
// copy in Kafka is harmless. Only Kafka's acknowledgement turns the reservation to "sent", and
// only a "sent" reservation or an order row is answered as an existing order without publishing.

export function sameTerms(a: OrderTerms, b: OrderTerms): boolean {
  return ORDER_TERM_KEYS.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/** The gateway's record of a client order id (Redis), until the order service has the order. */
export type Reservation =
  /** The command may or may not be in Kafka: a retry publishes it again. */
  | { state: 'pending'; command: OrderCommand }
  /** Kafka acknowledged the command (acks=all): the order exists or will. */
  | { state: 'sent'; command: OrderCommand }
  /** Written by an earlier gateway version as "orderId commandId"; its command is unknown. */
  | { state: 'legacy'; orderId: string; commandId: string };

export function encodeReservation(r: { state: 'pending' | 'sent'; command: OrderCommand }): string {
  return JSON.stringify({ v: 1, state: r.state, command: r.command });
}

export function decodeReservation(raw: string): Reservation {
  if (!raw.startsWith('{')) {
    const [orderId, commandId] = raw.split(' ');
    if (orderId && commandId) return { state: 'legacy', orderId, commandId };
  } else {
    const parsed = JSON.parse(raw) as { v?: unknown; state?: unknown; command?: OrderCommand };
    if (parsed.v === 1 && (parsed.state === 'pending' || parsed.state === 'sent') && parsed.command)
      return { state: parsed.state, command: parsed.command };
  }
  throw new TickstreamError('RESERVATION_UNREADABLE', 'a client order id reservation could not be read');
}

/** What to do with a POST /api/orders, given what is known of its client order id. */
export type Placement =
  /** The order exists or its command is acknowledged: answer 200 duplicate, publish nothing. */
  | { kind: 'known'; orderId: string; commandId: string }
  /** Publish this command and answer 202 once Kafka acknowledges it. */
  | { kind: 'send'; command: OrderCommand }
  /** The id already names an order with other terms: answer 409, publish nothing. */
  | { kind: 'conflict'; existing: OrderTerms };

/**
 * Decides a placement. `row` is the order service's order with this client order id, if any;
 * `reservation` the id's reservation when one existed before this request (undefined when this
 * request has just reserved it for `candidate`).
 */
export function decidePlacement(input: {
  candidate: OrderCommand;
  row?: PlacedOrder;
  reservation?: Reservation;
}): Placement {
  const { candidate, row, reservation } = input;
  if (row)
    return sameTerms(candidate, row)
      ? { kind: 'known', orderId: row.order_id, commandId: row.command_id }
      : { kind: 'conflict', existing: row };
  if (!reservation) return { kind: 'send', command: candidate };
  if (reservation.state === 'legacy')
    // The command an older gateway reserved this id for is unknown, and no order has it yet:
    // send this one under the reserved ids; if the old one did reach Kafka, the order service
    // keeps the first and ignores this copy.
    return {
      kind: 'send',
      command: { ...candidate, order_id: reservation.orderId, command_id: reservation.commandId },
    };
  const reserved = reservation.command;
  if (!sameTerms(candidate, reserved)) return { kind: 'conflict', existing: reserved };
  return reservation.state === 'sent'
    ? { kind: 'known', orderId: reserved.order_id, commandId: reserved.command_id }
    : { kind: 'send', command: reserved };
}
