import type { AccountSummary, PositionView } from '@tickstream/contracts';
import { toNumber } from '../format';
import type { MarketStore } from './market-store';
import type { TradingStore } from './trading-store';
import { useObservable } from './use-observable';

export interface PositionLine {
  symbol: string;
  qty: number;
  avgPrice: number;
  realizedPnl: number;
  /** Where the position could be closed now: the bid for a long, the ask for a short. */
  mark: number | null;
  unrealized: number | null;
  marketValue: number | null;
}

/** Every P&L figure on screen: the header, the positions and the account view read this one. */
export interface Portfolio {
  lines: PositionLine[];
  /** Sum of the lines' unrealized P&L (lines without a mark count 0, as the order service does). */
  unrealized: number;
  realizedToday: number | null;
  /** Realized today plus unrealized: what the daily loss limit counts. */
  dayPnl: number | null;
  /** Sum of |qty| x mark (the average price where no mark is known). */
  grossExposure: number;
}

export type QuoteOf = (symbol: string) => { bid: number | null; ask: number | null };

/**
 * Values the positions at one set of marks: the live quote from the stream where there is one,
 * else the mark the order service last saw. The header, the positions table and the account view
 * all show these numbers, so they cannot disagree.
 */
export function valuePortfolio(
  positions: readonly PositionView[],
  account: AccountSummary | null,
  quoteOf: QuoteOf,
): Portfolio {
  const lines = positions
    .map((p): PositionLine | null => {
      const qty = toNumber(p.qty);
      const avgPrice = toNumber(p.avgPrice);
      if (qty === null || qty === 0 || avgPrice === null) return null;
      const q = quoteOf(p.symbol);
      const live = qty > 0 ? q.bid : q.ask;
      const mark = live ?? toNumber(p.markPrice);
      return {
        symbol: p.symbol,
        qty,
        avgPrice,
        realizedPnl: toNumber(p.realizedPnl) ?? 0,
        mark,
        unrealized: mark === null ? null : (mark - avgPrice) * qty,
        marketValue: mark === null ? null : mark * qty,
      };
    })
    .filter((l): l is PositionLine => l !== null);
  const unrealized = lines.reduce((s, l) => s + (l.unrealized ?? 0), 0);
  const realizedToday = account ? toNumber(account.realizedToday) : null;
  return {
    lines,
    unrealized,
    realizedToday,
    dayPnl: realizedToday === null ? null : realizedToday + unrealized,
    grossExposure: lines.reduce((s, l) => s + Math.abs(l.qty) * (l.mark ?? l.avgPrice), 0),
  };
}

/** The portfolio at the current quotes; re-renders on every quote and every refresh of the books. */
export function usePortfolio(trading: TradingStore, market: MarketStore): Portfolio {
  const { positions, account } = useObservable(trading);
  useObservable(market);
  return valuePortfolio(positions, account, (s) => market.get(s));
}
