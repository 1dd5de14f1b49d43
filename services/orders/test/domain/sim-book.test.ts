import type { Quote } from '@tickstream/contracts';
import type { SimBookSnapshot, SimFill, ValidOrder } from '../../src/domain';
import { OrderError, SimOrderBook } from '../../src/domain';
import { order, quote, T0 } from './fixtures';

const limit = (side: 'BUY' | 'SELL', qty: number, limitPrice: number, extra: Partial<ValidOrder> = {}) =>
  order({ orderId: `${side}-L${limitPrice}`, type: 'LIMIT', side, qty, limitPrice, ...extra });
const at = (t: number, bid: number, ask: number, sizes: { bidSize?: number; askSize?: number } = {}) =>
  quote(bid, ask, { time: t, ...sizes });
const summary = (fills: readonly SimFill[]) => fills.map((f) => [f.orderId, f.qty, f.price, f.remainingQty]);

describe('SimOrderBook', () => {
  describe('market orders', () => {
    it('fill at once at the ask (buy) and the bid (sell)', () => {
      const book = new SimOrderBook();
      const q = at(T0, 149.95, 150.05);
      expect(summary(book.add(order({ orderId: 'b' }), q).fills)).toEqual([['b', 100, 150.05, 0]]);
      expect(summary(book.add(order({ orderId: 's', side: 'SELL' }), q).fills)).toEqual([
        ['s', 100, 149.95, 0],
      ]);
      expect(book.openOrders()).toEqual([]);
    });

    it('take at most the displayed size and work the rest on later quotes', () => {
      const book = new SimOrderBook();
      const first = book.add(order({ orderId: 'm', qty: 300 }), at(T0, 149.95, 150.05, { askSize: 100 }));
      expect(summary(first.fills)).toEqual([['m', 100, 150.05, 200]]);
      const next = book.onQuote(at(T0 + 1, 150, 150.1, { askSize: 500 }));
      expect(summary(next)).toEqual([['m', 200, 150.1, 0]]);
    });

    it('rest without a quote and fill on the first one', () => {
      const book = new SimOrderBook();
      expect(book.add(order({ orderId: 'm' })).fills).toEqual([]);
      expect(summary(book.onQuote(at(T0 + 5, 10, 10.02)))).toEqual([['m', 100, 10.02, 0]]);
    });
  });

  describe('limit orders', () => {
    it('rest until the market crosses, then fill at the better of limit and touch', () => {
      const book = new SimOrderBook();
      expect(book.add(limit('BUY', 100, 149.5), at(T0, 149.95, 150.05)).fills).toEqual([]);
      expect(book.add(limit('SELL', 100, 151), at(T0, 149.95, 150.05)).fills).toEqual([]);
      expect(book.onQuote(at(T0 + 1, 149.5, 149.6))).toEqual([]);
      expect(summary(book.onQuote(at(T0 + 2, 149.3, 149.4)))).toEqual([['BUY-L149.5', 100, 149.4, 0]]);
      expect(summary(book.onQuote(at(T0 + 3, 151.2, 151.3)))).toEqual([['SELL-L151', 100, 151.2, 0]]);
    });

    it('share one quote’s displayed size oldest first', () => {
      const book = new SimOrderBook();
      book.add(limit('BUY', 100, 150, { orderId: 'old' }));
      book.add(limit('BUY', 100, 150, { orderId: 'young' }));
      expect(summary(book.onQuote(at(T0, 149.8, 149.9, { askSize: 150 })))).toEqual([
        ['old', 100, 149.9, 0],
        ['young', 50, 149.9, 50],
      ]);
    });
  });

  describe('stop orders', () => {
    it('a buy stop triggers when the ask reaches the stop and fills as a market order', () => {
      const book = new SimOrderBook();
      book.add(order({ orderId: 'bs', type: 'STOP', stopPrice: 151 }), at(T0, 149.95, 150.05));
      expect(book.onQuote(at(T0 + 1, 150.8, 150.9))).toEqual([]);
      expect(summary(book.onQuote(at(T0 + 2, 151.1, 151.2)))).toEqual([['bs', 100, 151.2, 0]]);
    });

    it('a sell stop triggers when the bid falls to the stop', () => {
      const book = new SimOrderBook();
      book.add(order({ orderId: 'ss', side: 'SELL', type: 'STOP', stopPrice: 148 }), at(T0, 149.95, 150.05));
      expect(book.onQuote(at(T0 + 1, 148.5, 148.6))).toEqual([]);
      expect(summary(book.onQuote(at(T0 + 2, 147.9, 148)))).toEqual([['ss', 100, 147.9, 0]]);
    });

    it('a triggered stop-limit stays a limit order after the market moves back through the stop', () => {
      const book = new SimOrderBook();
      book.add(order({ orderId: 'sl', type: 'STOP_LIMIT', stopPrice: 151, limitPrice: 151.2 }));
      expect(book.onQuote(at(T0 + 1, 151.4, 151.5))).toEqual([]);
      expect(book.find('sl')?.triggered).toBe(true);
      expect(summary(book.onQuote(at(T0 + 2, 150.8, 150.9)))).toEqual([['sl', 100, 150.9, 0]]);
    });
  });

  describe('fill time', () => {
    it('an order taken after it was issued fills when it is taken, not at its issue time', () => {
      const taken = T0 + 200;
      const [fill] = new SimOrderBook().add(
        order({ orderId: 'late' }),
        at(T0 - 50, 149.95, 150.05),
        taken,
      ).fills;
      expect(fill?.time).toBe(taken);
    });

    it('never before the quote it fills at', () => {
      const [fill] = new SimOrderBook().add(order({ orderId: 'q' }), at(T0 + 30, 149.95, 150.05), T0).fills;
      expect(fill?.time).toBe(T0 + 30);
    });
  });

  describe('IOC and FOK', () => {
    it('IOC fills what the quote shows and cancels the rest', () => {
      const book = new SimOrderBook();
      const result = book.add(
        order({ orderId: 'ioc', qty: 300, timeInForce: 'IOC' }),
        at(T0, 150, 150.1, { askSize: 100 }),
      );
      expect(summary(result.fills)).toEqual([['ioc', 100, 150.1, 200]]);
      expect(result.canceled).toMatchObject({ orderId: 'ioc', canceledQty: 200, reasonCode: 'IOC_UNFILLED' });
      expect(book.openOrders()).toEqual([]);
    });

    it('IOC limit that does not cross cancels in full', () => {
      const result = new SimOrderBook().add(
        limit('BUY', 100, 149, { timeInForce: 'IOC' }),
        at(T0, 150, 150.1),
      );
      expect(result.fills).toEqual([]);
      expect(result.canceled).toMatchObject({ canceledQty: 100, reasonCode: 'IOC_UNFILLED' });
    });

    it('FOK cancels everything when the quote cannot fill it in full', () => {
      const book = new SimOrderBook();
      const result = book.add(
        order({ orderId: 'fok', qty: 300, timeInForce: 'FOK' }),
        at(T0, 150, 150.1, { askSize: 299 }),
      );
      expect(result.fills).toEqual([]);
      expect(result.canceled).toMatchObject({ orderId: 'fok', canceledQty: 300, reasonCode: 'FOK_UNFILLED' });
      expect(book.openOrders()).toEqual([]);
    });

    it('FOK fills in full when the quote can', () => {
      const result = new SimOrderBook().add(
        order({ orderId: 'fok', qty: 300, timeInForce: 'FOK' }),
        at(T0, 150, 150.1, { askSize: 300 }),
      );
      expect(summary(result.fills)).toEqual([['fok', 300, 150.1, 0]]);
      expect(result.canceled).toBeNull();
    });
  });

  describe('expiry', () => {
    it('expires DAY orders at the close and keeps GTC orders', () => {
      const book = new SimOrderBook();
      const friday = Date.parse('2024-03-08T15:00:00Z');
      book.add(limit('BUY', 10, 100, { orderId: 'day', issuedAt: friday }));
      book.add(limit('BUY', 10, 100, { orderId: 'gtc', issuedAt: friday, timeInForce: 'GTC' }));
      expect(book.expire(Date.parse('2024-03-08T20:59:59Z'))).toEqual([]);
      expect(book.expire(Date.parse('2024-03-08T21:00:00Z')).map((o) => o.order.orderId)).toEqual(['day']);
      expect(book.openOrders().map((o) => o.order.orderId)).toEqual(['gtc']);
    });

    it.each([
      [
        'into EDT: 16:00 is 20:00 UTC',
        '2024-03-08T22:00:00Z',
        '2024-03-11T19:59:59Z',
        '2024-03-11T20:00:00Z',
      ],
      [
        'into EST: 16:00 is 21:00 UTC',
        '2024-11-01T21:00:00Z',
        '2024-11-04T20:59:59Z',
        '2024-11-04T21:00:00Z',
      ],
    ])(
      'a DAY order placed after Friday close across a DST change expires at Monday 16:00 New York (%s)',
      (_n, placed, before, close) => {
        const book = new SimOrderBook();
        book.add(limit('BUY', 10, 100, { orderId: 'day', issuedAt: Date.parse(placed) }));
        expect(book.expire(Date.parse(before))).toEqual([]);
        expect(book.expire(Date.parse(close))).toHaveLength(1);
      },
    );

    it('never fills a DAY order on a quote after its close, even before expire() runs', () => {
      const book = new SimOrderBook();
      book.add(limit('BUY', 10, 150, { orderId: 'day' }));
      expect(book.onQuote(at(Date.parse('2024-03-06T21:00:01Z'), 149, 149.5))).toEqual([]);
    });
  });

  it('cancel removes a working order once', () => {
    const book = new SimOrderBook();
    book.add(limit('BUY', 10, 149, { orderId: 'c' }));
    expect(book.cancel('c')?.remainingQty).toBe(10);
    expect(book.cancel('c')).toBeNull();
    expect(book.onQuote(at(T0, 148, 148.5))).toEqual([]);
  });

  it('refuses an order id it already holds', () => {
    const book = new SimOrderBook();
    book.add(limit('BUY', 10, 149, { orderId: 'dup' }));
    expect(() => book.add(limit('BUY', 10, 149, { orderId: 'dup' }))).toThrow(OrderError);
  });

  it('restores from a snapshot taken mid-stream and produces the same fills', () => {
    const orders: ValidOrder[] = [
      limit('BUY', 300, 149.5, { orderId: 'a', timeInForce: 'GTC' }),
      order({ orderId: 'b', type: 'STOP_LIMIT', stopPrice: 151, limitPrice: 151.2 }),
      order({ orderId: 'c', side: 'SELL', type: 'STOP', stopPrice: 148 }),
      limit('SELL', 50, 152, { orderId: 'd' }),
    ];
    const stream: Quote[] = [
      at(T0 + 1, 149.9, 150, { askSize: 100 }),
      at(T0 + 2, 151.3, 151.4, { askSize: 100 }), // triggers b, which cannot fill above its limit
      at(T0 + 3, 149.4, 149.45, { askSize: 120, bidSize: 40 }),
      at(T0 + 4, 147.9, 148, { askSize: 150, bidSize: 60 }),
      at(T0 + 5, 150.5, 150.6, { bidSize: 30 }), // b fills only because it stayed triggered
      at(T0 + 6, 147, 147.1, { askSize: 80, bidSize: 80 }),
    ];
    const run = (book: SimOrderBook, quotes: Quote[]) => quotes.flatMap((q) => book.onQuote(q));

    const whole = new SimOrderBook();
    orders.forEach((o) => whole.add(o, at(T0, 149.95, 150.05)));
    const expected = run(whole, stream);

    const first = new SimOrderBook();
    orders.forEach((o) => first.add(o, at(T0, 149.95, 150.05)));
    const before = run(first, stream.slice(0, 2));
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as SimBookSnapshot;
    const restored = SimOrderBook.restore(snapshot);
    const after = run(restored, stream.slice(2));

    expect(expected.length).toBeGreaterThan(4);
    expect([...before, ...after]).toEqual(expected);
    expect(restored.snapshot()).toEqual(whole.snapshot());
  });
});
