import type { OrderCommand } from '@tickstream/contracts';
import type { Redis } from '@tickstream/platform';
import { DependencyUnavailableError } from '../request';
import type { Reservation } from './placement';
import { decodeReservation, encodeReservation } from './placement';

// A client order id stays reserved this long in Redis; after that the orders table answers.
const CLIENT_ID_TTL_SEC = 24 * 3600;

/** Client order id reservations (see placement.ts for what they mean). */
export interface Reservations {
  /**
   * Reserves the command's client order id for it, as pending, and returns undefined; or, when
   * the id was reserved already, leaves it and returns that reservation.
   */
  claim(command: OrderCommand): Promise<Reservation | undefined>;
  /** Records that Kafka acknowledged `command`; the reservation keeps its expiry. */
  markSent(command: OrderCommand): Promise<void>;
}

const keyOf = (accountId: string, clientOrderId: string) => `orders:coid:${accountId}:${clientOrderId}`;

function unavailable(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'ORDERS_UNAVAILABLE',
    'the order was not sent (its client_order_id could not be reserved); retry with the same client_order_id',
    cause,
  );
}

export function redisReservations(redis: Redis, ttlSec = CLIENT_ID_TTL_SEC): Reservations {
  return {
    async claim(command) {
      const key = keyOf(command.account_id, command.client_order_id);
      const value = encodeReservation({ state: 'pending', command });
      let raw: string | null = null;
      try {
        // SET NX, else GET: a reservation can expire between the two, so try again then.
        for (let attempt = 0; attempt < 3 && raw === null; attempt++) {
          if ((await redis.set(key, value, 'EX', ttlSec, 'NX')) === 'OK') return undefined;
          raw = await redis.get(key);
        }
      } catch (err) {
        throw unavailable(err);
      }
      if (raw === null) throw unavailable(new Error('the reservation kept expiring'));
      return decodeReservation(raw);
    },
    async markSent(command) {
      const key = keyOf(command.account_id, command.client_order_id);
      // XX: never resurrect an expired reservation; KEEPTTL: the first request's expiry stands.
      await redis.set(key, encodeReservation({ state: 'sent', command }), 'KEEPTTL', 'XX');
    },
  };
}
