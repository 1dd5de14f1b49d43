import type { OrderTransition, Position } from '../../src/domain';
import { dec, IllegalTransitionError, initialOrderState, OverfillError, transition } from '../../src/domain';
import { placeCommand, T0 } from './fixtures';

const at = (time: number, position: Position | null = null) => ({ time, position });
const fill = (qty: number, price: number): OrderTransition => ({ type: 'FILL', qty, price });

function run(steps: OrderTransition[]) {
  let state = initialOrderState(placeCommand());
  for (const step of steps) state = transition(state, step, at(T0)).state;
  return state;
}

describe('order lifecycle', () => {
  it('numbers events from 1 with deterministic ids and tracks fills', () => {
    let state = initialOrderState(placeCommand());
    const events = [];
    for (const [step, position] of [
      [{ type: 'ACCEPTED' }, null],
      [{ type: 'NEW' }, null],
      [fill(40, 150), { symbol: 'AAPL', qty: 40, avgPrice: dec(150), realizedPnl: dec(0) }],
      [fill(60, 149), { symbol: 'AAPL', qty: 100, avgPrice: dec(149.4), realizedPnl: dec(0) }],
    ] as const) {
      const result = transition(state, step, at(T0 + events.length, position));
      state = result.state;
      events.push(result.event);
    }
    expect(events.map((e) => [e.event_id, e.seq, e.type, e.filled_qty, e.event_time])).toEqual([
      ['ord-1:1', 1, 'ACCEPTED', 0, T0],
      ['ord-1:2', 2, 'NEW', 0, T0 + 1],
      ['ord-1:3', 3, 'PARTIALLY_FILLED', 40, T0 + 2],
      ['ord-1:4', 4, 'FILLED', 100, T0 + 3],
    ]);
    expect(events[3]).toMatchObject({
      avg_fill_price: 149.4,
      last_fill_qty: 60,
      last_fill_price: 149,
      position_qty: 100,
      position_avg_price: 149.4,
      realized_pnl: 0,
      reason_code: null,
      account_id: 'acct-1',
      client_order_id: 'client-1',
      broker: 'SIM',
    });
    expect(state.status).toBe('FILLED');
  });

  it('records a rejection of an invalid command with what it knows', () => {
    const state = initialOrderState(placeCommand({ symbol: null, qty: Number.NaN }));
    const { event } = transition(
      state,
      { type: 'REJECTED', reasonCode: 'INVALID_SYMBOL', reason: 'symbol null is not a ticker' },
      at(T0),
    );
    expect(event).toMatchObject({
      seq: 1,
      type: 'REJECTED',
      symbol: null,
      qty: 0,
      reason_code: 'INVALID_SYMBOL',
    });
  });

  it('reports a flat position with no average price', () => {
    const { event } = transition(
      run([{ type: 'ACCEPTED' }, { type: 'NEW' }]),
      fill(100, 150),
      at(T0, { symbol: 'AAPL', qty: 0, avgPrice: dec(0), realizedPnl: dec(120) }),
    );
    expect(event).toMatchObject({ position_qty: 0, position_avg_price: null, realized_pnl: 120 });
  });

  it.each<[string, OrderTransition[], OrderTransition]>([
    ['a fill before NEW', [{ type: 'ACCEPTED' }], fill(10, 150)],
    ['NEW before ACCEPTED', [], { type: 'NEW' }],
    [
      'a fill after CANCELED',
      [{ type: 'ACCEPTED' }, { type: 'NEW' }, { type: 'CANCELED', reasonCode: 'USER', reason: 'x' }],
      fill(10, 150),
    ],
    ['a fill after REJECTED', [{ type: 'REJECTED', reasonCode: 'X', reason: 'x' }], fill(10, 150)],
    ['ACCEPTED twice', [{ type: 'ACCEPTED' }], { type: 'ACCEPTED' }],
    [
      'EXPIRED after FILLED',
      [{ type: 'ACCEPTED' }, { type: 'NEW' }, fill(100, 150)],
      { type: 'EXPIRED', reasonCode: 'SESSION_CLOSE', reason: 'x' },
    ],
    [
      'EXPIRED before NEW',
      [{ type: 'ACCEPTED' }],
      { type: 'EXPIRED', reasonCode: 'SESSION_CLOSE', reason: 'x' },
    ],
  ])('throws IllegalTransitionError on %s', (_name, history, next) => {
    const state = run(history);
    expect(() => transition(state, next, at(T0))).toThrow(IllegalTransitionError);
    try {
      transition(state, next, at(T0));
    } catch (err) {
      expect(err).toMatchObject({
        code: 'ILLEGAL_TRANSITION',
        retryable: false,
        orderId: 'ord-1',
        to: next.type,
      });
    }
  });

  it('throws OverfillError on a fill beyond the remaining quantity', () => {
    const state = run([{ type: 'ACCEPTED' }, { type: 'NEW' }, fill(60, 150)]);
    expect(() => transition(state, fill(41, 150), at(T0))).toThrow(OverfillError);
    expect(transition(state, fill(40, 150), at(T0)).state.status).toBe('FILLED');
  });

  it('lets a partially filled order be canceled, carrying the reason', () => {
    const { event } = transition(
      run([{ type: 'ACCEPTED' }, { type: 'NEW' }, fill(60, 150)]),
      { type: 'CANCELED', reasonCode: 'KILL_SWITCH', reason: 'canceled by the platform kill switch' },
      at(T0),
    );
    expect(event).toMatchObject({ type: 'CANCELED', seq: 4, filled_qty: 60, reason_code: 'KILL_SWITCH' });
  });
});
