import type { FakeBar, FakeQuote, FakeTrade } from '../../../../../test/support/fake-alpaca';

export const trade = (
  S: string,
  i: number,
  p = 100 + i / 100,
  t = `2025-11-20T15:30:00.${String(i).padStart(3, '0')}123456Z`,
): FakeTrade => ({
  T: 't',
  S,
  i,
  x: 'V',
  p,
  s: 10,
  c: ['@'],
  t,
  z: 'C',
});

export const quote = (S: string, bp: number, ap: number): FakeQuote => ({
  T: 'q',
  S,
  bx: 'V',
  bp,
  bs: 3,
  ax: 'V',
  ap,
  as: 2,
  c: ['R'],
  t: '2025-11-20T15:30:01.500000001Z',
  z: 'C',
});

export const bar = (S: string, T: 'b' | 'u' = 'b', v = 1200): FakeBar => ({
  T,
  S,
  o: 100,
  h: 101,
  l: 99.5,
  c: 100.5,
  v,
  n: 12,
  vw: 100.2,
  t: '2025-11-20T15:30:00Z',
});
