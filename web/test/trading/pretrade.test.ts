import type { Book, TicketInput } from '../../src/trading/pretrade';
import { checkTicket } from '../../src/trading/pretrade';
import { readLimits } from '../../src/trading/limits';
import { ACCOUNT, LIMITS, position } from '../support/services';

const limits = readLimits(LIMITS.limits);
const AAPL = { bid: 263.8, ask: 263.82 };

function book(over: Partial<Book> = {}): Book {
  return {
    limits,
    broker: 'SIM',
    ...AAPL,
    positions: [],
    openOrders: [],
    account: ACCOUNT,
    midOf: (s) => (s === 'AAPL' ? (AAPL.bid + AAPL.ask) / 2 : null),
    ...over,
  };
}

function ticket(over: Partial<TicketInput> = {}): TicketInput {
  return { symbol: 'AAPL', side: 'BUY', type: 'MARKET', tif: 'DAY', qty: '10', limit: '', stop: '', ...over };
}

it('passes an ordinary order and values it at the ask', () => {
  const c = checkTicket(ticket(), book());
  expect(c.blocker).toBeNull();
  expect(c.estimate).toBeCloseTo(2638.2);
  expect(c.buyingPower).toBe(200_000);
});

it('blocks 10,000,000 shares with the per-order share limit, in words', () => {
  const c = checkTicket(ticket({ qty: '10000000' }), book());
  expect(c.blocker).toEqual({
    field: 'qty',
    text: '10,000,000 shares is more than your limit of 10,000 shares per order.',
  });
});

it('blocks an order worth more than the notional limit and says how many shares fit', () => {
  const c = checkTicket(ticket({ qty: '500' }), book());
  expect(c.blocker?.text).toBe(
    'This order is worth $131,910.00, more than your limit of $50,000.00 per order. At most 189 shares.',
  );
});

it('blocks a limit price outside the band around the mid', () => {
  const c = checkTicket(ticket({ type: 'LIMIT', limit: '300' }), book());
  expect(c.blocker?.field).toBe('limit');
  expect(c.blocker?.text).toMatch(
    /Limit 300\.00 is 13\.7% from the market \(263\.81\); your limit is 10% either side/,
  );
  expect(checkTicket(ticket({ type: 'LIMIT', limit: '260' }), book()).blocker).toBeNull();
});

it('refuses fractional shares on the simulator, and allows them on Alpaca for market day orders only', () => {
  expect(checkTicket(ticket({ qty: '1.5' }), book()).blocker?.text).toMatch(/Whole shares only/);
  expect(checkTicket(ticket({ qty: '1.5' }), book({ broker: 'ALPACA' })).blocker).toBeNull();
  expect(
    checkTicket(ticket({ qty: '1.5', type: 'LIMIT', limit: '263' }), book({ broker: 'ALPACA' })).blocker
      ?.text,
  ).toMatch(/only .* Market order, time in force DAY/);
});

it('counts buying power under the gross exposure limit with positions and open orders', () => {
  const open = {
    orderId: 'o1',
    symbol: 'AAPL',
    side: 'BUY',
    qty: 100,
    filledQty: 40,
    status: 'NEW',
  } as Book['openOrders'][number];
  const b = book({
    positions: [position('AAPL', 500, 250)],
    openOrders: [open],
    limits: limits && { ...limits, maxGrossExposure: 200_000, maxPositionNotional: 1e9 },
  });
  const mid = (AAPL.bid + AAPL.ask) / 2;
  const c = checkTicket(ticket({ qty: '100' }), b);
  expect(c.buyingPower).toBeCloseTo(200_000 - 560 * mid, 6);
  expect(c.blocker).toBeNull();
  const tooMuch = checkTicket(
    ticket({ qty: '189' }),
    book({ ...b, limits: b.limits && { ...b.limits, maxGrossExposure: 150_000 } }),
  );
  expect(tooMuch.blocker?.text).toMatch(
    /^Not enough buying power: this order needs \$49,\d{3}\.\d\d and you have \$2,\d{3}\.\d\d left\.$/,
  );
});

it('blocks everything when trading is halted or switched off', () => {
  expect(checkTicket(ticket(), book({ account: { ...ACCOUNT, killSwitch: true } })).blocker?.field).toBe(
    'account',
  );
  expect(checkTicket(ticket(), book({ account: { ...ACCOUNT, haltedForDay: true } })).blocker?.text).toMatch(
    /daily loss limit/,
  );
});

it('asks to confirm a sell larger than the position, and a short sale', () => {
  const holding = book({ positions: [position('AAPL', 1, 250)] });
  expect(checkTicket(ticket({ side: 'SELL', qty: '1' }), holding).confirm).toBeNull();
  expect(checkTicket(ticket({ side: 'SELL', qty: '5' }), holding).confirm).toBe(
    'You hold 1 AAPL. Selling 5 sells all of them and opens a short position of 4 shares.',
  );
  expect(checkTicket(ticket({ side: 'SELL', qty: '5' }), book()).confirm).toMatch(
    /You hold no AAPL\. This is a short sale of 5 shares/,
  );
  expect(checkTicket(ticket({ side: 'BUY', qty: '5' }), book()).confirm).toBeNull();
});

it('accepts limits sent as decimal strings', () => {
  const fromStrings = readLimits({ ...LIMITS.limits, maxOrderQty: '10000', maxOrderNotional: '50000.00' });
  expect(fromStrings?.maxOrderQty).toBe(10_000);
  expect(readLimits({ maxOrderQty: 5 })).toBeNull();
});
