import { randomUUID } from 'node:crypto';
import type { OrderCommand } from '@tickstream/contracts';
import { decidePlacement, decodeReservation, encodeReservation, sameTerms } from '../../src/orders/placement';
import { LIMIT_BUY_TERMS } from './order-rows';

const command = (over: Partial<OrderCommand> = {}): OrderCommand => ({
  command_id: randomUUID(),
  action: 'PLACE',
  account_id: randomUUID(),
  order_id: randomUUID(),
  client_order_id: 'c-1',
  ...LIMIT_BUY_TERMS,
  stop_price: null,
  broker: 'SIM',
  issued_at: 1_700_000_000_000,
  ...over,
});

describe('sameTerms', () => {
  it('compares what the client asked for, not ids or times', () => {
    const a = command();
    expect(sameTerms(a, command({ issued_at: 1, broker: 'ALPACA' }))).toBe(true);
    expect(sameTerms(a, command({ qty: 6 }))).toBe(false);
    expect(sameTerms(a, command({ limit_price: 150.01 }))).toBe(false);
    expect(sameTerms(a, command({ stop_price: 140 }))).toBe(false);
    expect(sameTerms(a, command({ side: 'SELL' }))).toBe(false);
  });
});

describe('reservations', () => {
  it('round-trip through their encoding', () => {
    const cmd = command();
    expect(decodeReservation(encodeReservation({ state: 'pending', command: cmd }))).toEqual({
      state: 'pending',
      command: cmd,
    });
    expect(decodeReservation(encodeReservation({ state: 'sent', command: cmd }))).toEqual({
      state: 'sent',
      command: cmd,
    });
  });

  it('read the ids an older gateway stored, and refuse anything else', () => {
    const [o, c] = [randomUUID(), randomUUID()];
    expect(decodeReservation(`${o} ${c}`)).toEqual({ state: 'legacy', orderId: o, commandId: c });
    expect(() => decodeReservation('{"v":2}')).toThrow(
      expect.objectContaining({ code: 'RESERVATION_UNREADABLE' }),
    );
    expect(() => decodeReservation('')).toThrow(expect.objectContaining({ code: 'RESERVATION_UNREADABLE' }));
  });
});

describe('decidePlacement', () => {
  const candidate = command();
  /** The answer for an order that exists: its ids, nothing to publish. */
  const known = (c: Pick<OrderCommand, 'order_id' | 'command_id'>) => ({
    kind: 'known',
    orderId: c.order_id,
    commandId: c.command_id,
  });

  it('sends the new command when the id was free', () => {
    expect(decidePlacement({ candidate })).toEqual({ kind: 'send', command: candidate });
  });

  it('answers with the order the order service has, publishing nothing', () => {
    const row = { ...command(), order_id: randomUUID(), command_id: randomUUID() };
    expect(decidePlacement({ candidate, row })).toEqual(known(row));
  });

  it('answers with an acknowledged command as an order that exists', () => {
    const first = command();
    expect(decidePlacement({ candidate, reservation: { state: 'sent', command: first } })).toEqual(
      known(first),
    );
  });

  it('sends the first command again, never a new one, while its outcome is unknown', () => {
    const first = command();
    expect(decidePlacement({ candidate, reservation: { state: 'pending', command: first } })).toEqual({
      kind: 'send',
      command: first,
    });
  });

  it('sends under the ids an older gateway reserved', () => {
    const reservation = { state: 'legacy' as const, orderId: randomUUID(), commandId: randomUUID() };
    expect(decidePlacement({ candidate, reservation })).toEqual({
      kind: 'send',
      command: { ...candidate, order_id: reservation.orderId, command_id: reservation.commandId },
    });
  });

  it('refuses an id reused for other terms, whatever holds it', () => {
    const other = command({ qty: 500 });
    const row = { ...other, order_id: randomUUID(), command_id: randomUUID() };
    expect(decidePlacement({ candidate, row })).toEqual({ kind: 'conflict', existing: row });
    for (const state of ['pending', 'sent'] as const)
      expect(decidePlacement({ candidate, reservation: { state, command: other } })).toEqual({
        kind: 'conflict',
        existing: other,
      });
  });
});
