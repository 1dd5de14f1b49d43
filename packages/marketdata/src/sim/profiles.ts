import { hash32 } from './prng';

export interface SymbolProfile {
  /** Price of the first simulated instant, USD. */
  startPrice: number;
  /** Annualised volatility of the calm-to-normal regimes (0.2 = 20 %). */
  annualVol: number;
  /** Events (trades + quote changes) per second at the quietest time of the session. */
  eventsPerSecond: number;
  /** Typical bid-ask spread in basis points of the price. */
  spreadBps: number;
}

/** Roughly late-2025 levels; only the orders of magnitude matter for charts and features. */
const KNOWN: Readonly<Record<string, SymbolProfile>> = {
  SPY: { startPrice: 670, annualVol: 0.15, eventsPerSecond: 6, spreadBps: 2 },
  QQQ: { startPrice: 600, annualVol: 0.2, eventsPerSecond: 5, spreadBps: 2 },
  AAPL: { startPrice: 260, annualVol: 0.26, eventsPerSecond: 5, spreadBps: 2 },
  TSLA: { startPrice: 430, annualVol: 0.6, eventsPerSecond: 5, spreadBps: 2 },
  NVDA: { startPrice: 185, annualVol: 0.5, eventsPerSecond: 6, spreadBps: 2 },
  MSFT: { startPrice: 510, annualVol: 0.24, eventsPerSecond: 4, spreadBps: 2 },
  GOOGL: { startPrice: 250, annualVol: 0.3, eventsPerSecond: 4, spreadBps: 2 },
  META: { startPrice: 720, annualVol: 0.35, eventsPerSecond: 4, spreadBps: 2 },
  AMZN: { startPrice: 225, annualVol: 0.32, eventsPerSecond: 4, spreadBps: 2 },
  AMD: { startPrice: 230, annualVol: 0.55, eventsPerSecond: 4, spreadBps: 2 },
};

/** Known symbols get realistic levels; any other symbol gets a stable made-up one. */
export function profileFor(symbol: string): SymbolProfile {
  const known = KNOWN[symbol];
  if (known) return known;
  const h = hash32(symbol);
  return {
    startPrice: 10 + (h % 49000) / 100,
    annualVol: 0.2 + ((h >>> 16) % 50) / 100,
    eventsPerSecond: 1.5 + ((h >>> 8) % 20) / 10,
    spreadBps: 3 + ((h >>> 4) % 8),
  };
}
