import type { Fill, Position } from '../../src/domain';
import { applyFill, dayPnl, dec, flatPosition, unrealizedPnl } from '../../src/domain';
import { quote } from './fixtures';

const buy = (qty: number, price: number): Fill => ({ side: 'BUY', qty, price });
const sell = (qty: number, price: number): Fill => ({ side: 'SELL', qty, price });
const pos = (qty: number, avgPrice: number, symbol = 'AAPL'): Position => ({
  symbol,
  qty,
  avgPrice: dec(avgPrice),
  realizedPnl: dec(0),
});

describe('applyFill on a scripted price path', () => {
  it('averages up, realizes on reduction, flips, covers and closes', () => {
    const steps: [Fill, { qty: number; avgPrice: number; realizedPnl: number; realized: number }][] = [
      [buy(100, 10), { qty: 100, avgPrice: 10, realizedPnl: 0, realized: 0 }],
      [buy(100, 12), { qty: 200, avgPrice: 11, realizedPnl: 0, realized: 0 }],
      [sell(150, 13), { qty: 50, avgPrice: 11, realizedPnl: 300, realized: 300 }],
      // Closes 50 at +3 and opens a 50-share short at the fill price.
      [sell(100, 14), { qty: -50, avgPrice: 14, realizedPnl: 450, realized: 150 }],
      [sell(50, 16), { qty: -100, avgPrice: 15, realizedPnl: 450, realized: 0 }],
      // Covering a short below its entry is a gain: 20 x (15 - 12).
      [buy(20, 12), { qty: -80, avgPrice: 15, realizedPnl: 510, realized: 60 }],
      [buy(80, 16), { qty: 0, avgPrice: 0, realizedPnl: 430, realized: -80 }],
    ];
    let position: Position = flatPosition('AAPL');
    for (const [fill, expected] of steps) {
      const outcome = applyFill(position, fill);
      position = outcome.position;
      expect({
        symbol: position.symbol,
        qty: position.qty,
        avgPrice: position.avgPrice.toNumber(),
        realizedPnl: position.realizedPnl.toNumber(),
        realized: outcome.realized.toNumber(),
      }).toEqual({ symbol: 'AAPL', ...expected });
    }
  });

  it('leaves no dust when fractional fills close a position', () => {
    let position = flatPosition('AAPL');
    for (let i = 0; i < 3; i++) position = applyFill(position, buy(0.1, 100)).position;
    const closed = applyFill(position, sell(0.3, 110));
    expect(closed.position.qty).toBe(0);
    expect(String(closed.realized)).toBe('3');
  });
});

describe('unrealizedPnl', () => {
  const q = quote(12.9, 13.1);

  it('marks a long at the bid', () => {
    expect(String(unrealizedPnl(pos(50, 11), q))).toBe('95');
  });

  it('marks a short at the ask', () => {
    expect(String(unrealizedPnl(pos(-50, 14), q))).toBe('45');
  });

  it('is 0 without a usable quote', () => {
    expect(String(unrealizedPnl(pos(50, 11), quote(13, 12)))).toBe('0');
  });
});

describe('dayPnl', () => {
  it("adds today's realized P&L to the unrealized P&L of every quoted position", () => {
    const positions = new Map<string, Position>([
      ['AAPL', pos(100, 150)],
      ['TSLA', pos(-10, 200, 'TSLA')],
      ['NOQ', pos(10, 5, 'NOQ')],
    ]);
    const quotes = new Map([
      ['AAPL', quote(148, 148.2)],
      ['TSLA', quote(209.8, 210, { symbol: 'TSLA' })],
    ]);
    // -250 realized, AAPL (148 - 150) x 100 = -200, TSLA (210 - 200) x -10 = -100.
    expect(String(dayPnl(dec(-250), positions, quotes))).toBe('-550');
  });
});
