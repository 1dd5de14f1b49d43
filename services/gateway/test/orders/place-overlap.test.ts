import type { OrderCommand, PlacedOrder } from '@tickstream/contracts';
import { silentLog } from '../../../../test/support/kafka';
import type { Reservations } from '../../src/orders/reservations';
import type { OrdersApi } from '../../src/orders/service-client';
import { createOrderSender } from '../../src/orders/place';

// The placement's two questions (the order service: does the client order id name an order?
// Redis: reserve it) are each a round trip to another process; they are asked at once. Fakes
// the test resolves by hand, so what overlaps is seen, not timed.

interface Pending<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function pending<T>(): Pending<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function sender() {
  const lookups: Pending<PlacedOrder | undefined>[] = [];
  const claims: Pending<undefined>[] = [];
  const sent: OrderCommand[] = [];
  const orders = {
    orderByClientId: () => {
      const p = pending<PlacedOrder | undefined>();
      lookups.push(p);
      return p.promise;
    },
  } as unknown as OrdersApi;
  const reservations: Reservations = {
    claim: () => {
      const p = pending<undefined>();
      claims.push(p);
      return p.promise;
    },
    markSent: async () => {},
  };
  const place = createOrderSender({
    orders,
    reservations,
    publishCommand: async (cmd) => {
      sent.push(cmd);
    },
    sendTimeoutMs: 5000,
    log: silentLog,
  });
  return { place, lookups, claims, sent };
}

const request = {
  clientOrderId: 'web-1',
  symbol: 'OVL',
  side: 'BUY' as const,
  qty: 2,
  type: 'MARKET' as const,
  timeInForce: 'DAY' as const,
};

const placer = { accountId: 'acc-overlap', broker: 'SIM' as const };

it('claims the client order id while the order service is still answering, and sends once both said none', async () => {
  const { place, lookups, claims, sent } = sender();
  const answer = place.place(placer, request);
  await new Promise((r) => setImmediate(r));
  expect(lookups).toHaveLength(1);
  expect(claims).toHaveLength(1);
  claims[0]!.resolve(undefined);
  await new Promise((r) => setImmediate(r));
  expect(sent).toHaveLength(0); // the order service has not answered yet
  lookups[0]!.resolve(undefined);
  expect((await answer).status).toBe(202);
  expect(sent).toHaveLength(1);
});

it('answers from the order row when one exists, sending nothing, even if the claim failed', async () => {
  const { place, lookups, claims, sent } = sender();
  const answer = place.place(placer, request);
  await new Promise((r) => setImmediate(r));
  claims[0]!.reject(new Error('redis away (injected)'));
  lookups[0]!.resolve({
    order_id: 'o-1',
    command_id: 'c-1',
    symbol: 'OVL',
    side: 'BUY',
    qty: 2,
    order_type: 'MARKET',
    time_in_force: 'DAY',
    limit_price: null,
    stop_price: null,
  });
  await expect(answer).resolves.toMatchObject({ status: 200, body: { order_id: 'o-1', duplicate: true } });
  expect(sent).toHaveLength(0);
});
