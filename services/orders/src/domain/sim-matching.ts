import type { Quote } from '@tickstream/contracts';
import { isUsableQuote, touchPrice } from './market';
import type { ValidOrder } from './order';

/**
 * The matching rules of the simulated broker, one order against one quote. Liquidity model:
 * an order trades at the touch (ask for buys, bid for sells) for at most the size displayed
 * there; there is no depth behind the touch, no queue position and no market impact beyond the
 * quote being matched. Each quote is a fresh snapshot of displayed size, so a large order fills
 * in slices across quotes. This is what lets IOC and FOK differ.
 */

/** A stop order triggers when the market trades through its stop: buy when ask >= stop, sell when bid <= stop. */
export function stopTriggered(order: ValidOrder, quote: Quote): boolean {
  if (order.stopPrice === null) return false;
  return order.side === 'BUY' ? quote.ask_price >= order.stopPrice : quote.bid_price <= order.stopPrice;
}

/**
 * The price the order trades at against `quote`, or null if it cannot trade. `triggered` says
 * whether a stop has already fired on an earlier quote: a fired STOP is a market order, a fired
 * STOP_LIMIT a limit order. A buy limit trades when ask <= limit, at min(limit, ask) = the ask
 * (the better price goes to the trader); sells mirror it.
 */
export function executionPrice(order: ValidOrder, triggered: boolean, quote: Quote): number | null {
  if (!isUsableQuote(quote)) return null;
  const isStop = order.type === 'STOP' || order.type === 'STOP_LIMIT';
  if (isStop && !triggered && !stopTriggered(order, quote)) return null;
  const touch = touchPrice(quote, order.side);
  if (order.limitPrice === null) return touch;
  const crosses = order.side === 'BUY' ? touch <= order.limitPrice : touch >= order.limitPrice;
  if (!crosses) return null;
  return order.side === 'BUY' ? Math.min(order.limitPrice, touch) : Math.max(order.limitPrice, touch);
}
