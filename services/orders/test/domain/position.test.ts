import type { Fill, Position } from '../../src/domain';
import { applyFill, dayPnl, flatPosition, unrealizedPnl } from '../../src/domain';
import { quote } from './fixtures';

const buy = (qty: number, price: number): Fill => ({ side: 'BUY', qty, price });
const sell = (qty: number, price: number): Fill => ({ side: 'SELL', qty, price });

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
      expect({ ...position, realized: outcome.realized }).toEqual({ symbol: 'AAPL', ...expected });
    }
  });

  it('leaves no dust when fractional fills close a position', () => {
    let position = flatPosition('AAPL');
    for (let i = 0; i < 3; i++) position = applyFill(position, buy(0.1, 100)).position;
    const closed = applyFill(position, sell(0.3, 110));
    expect(closed.position.qty).toBe(0);
    expect(closed.realized).toBeCloseTo(3, 9);
  });
});

describe('unrealizedPnl', () => {
  const q = quote(12.9, 13.1);

  it('marks a long at the bid', () => {
    expect(unrealizedPnl({ symbol: 'AAPL', qty: 50, avgPrice: 11, realizedPnl: 0 }, q)).toBeCloseTo(95, 9);
  });

  it('marks a short at the ask', () => {
    expect(unrealizedPnl({ symbol: 'AAPL', qty: -50, avgPrice: 14, realizedPnl: 0 }, q)).toBeCloseTo(45, 9);
  });

  it('is 0 without a usable quote', () => {
    expect(unrealizedPnl({ symbol: 'AAPL', qty: 50, avgPrice: 11, realizedPnl: 0 }, quote(13, 12))).toBe(0);
  });
});

describe('dayPnl', () => {
  it("adds today's realized P&L to the unrealized P&L of every quoted position", () => {
    const positions = new Map<string, Position>([
      ['AAPL', { symbol: 'AAPL', qty: 100, avgPrice: 150, realizedPnl: 0 }],
      ['TSLA', { symbol: 'TSLA', qty: -10, avgPrice: 200, realizedPnl: 0 }],
      ['NOQ', { symbol: 'NOQ', qty: 10, avgPrice: 5, realizedPnl: 0 }],
    ]);
    const quotes = new Map([
      ['AAPL', quote(148, 148.2)],
      ['TSLA', quote(209.8, 210, { symbol: 'TSLA' })],
    ]);
    // -250 realized, AAPL (148 - 150) x 100 = -200, TSLA (210 - 200) x -10 = -100.
    expect(dayPnl(-250, positions, quotes)).toBeCloseTo(-550, 9);
  });
});
