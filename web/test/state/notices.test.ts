import { MAX_NOTICES, TradingStore } from '../../src/state/trading-store';
import { offlineApi } from '../support/api';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it('keeps at most three notices, newest first', () => {
  const store = new TradingStore(offlineApi());
  for (let i = 1; i <= 6; i++) store.announce('error', `rejected ${i}`);
  expect(MAX_NOTICES).toBe(3);
  expect(store.value.notices.map((n) => n.text)).toEqual(['rejected 6', 'rejected 5', 'rejected 4']);
});

it('fades successes by themselves and keeps errors until dismissed', () => {
  const store = new TradingStore(offlineApi());
  store.announce('error', 'Order rejected');
  store.announce('ok', 'Filled: BUY 10 AAPL');
  store.announce('info', 'Cancel requested.');
  jest.advanceTimersByTime(4999);
  expect(store.value.notices).toHaveLength(3);
  jest.advanceTimersByTime(1);
  expect(store.value.notices.map((n) => n.text)).toEqual(['Order rejected']);
  jest.advanceTimersByTime(60 * 60 * 1000);
  expect(store.value.notices).toHaveLength(1);
  store.dismiss(store.value.notices[0]!.id);
  expect(store.value.notices).toEqual([]);
});

it('does not let a pushed-out notice come back or fire its timer', () => {
  const store = new TradingStore(offlineApi());
  store.announce('ok', 'first');
  for (let i = 0; i < 3; i++) store.announce('error', `e${i}`);
  const seen: number[] = [];
  store.subscribe(() => seen.push(store.value.notices.length));
  jest.advanceTimersByTime(10_000);
  expect(seen).toEqual([]);
  expect(store.value.notices.map((n) => n.text)).toEqual(['e2', 'e1', 'e0']);
});
