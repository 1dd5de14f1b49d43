/**
 * Pre-trade risk limits of one account. `DEFAULT_RISK_LIMITS` applies to an account without its
 * own row; an account's own limits are a full object of this shape (stored by the service).
 * Amounts are USD, quantities shares.
 */
export interface RiskLimits {
  /** Orders accepted per rolling 60 s per account; stops a runaway client loop. */
  readonly maxOrdersPerMinute: number;
  /** Largest notional of one order (qty x reference price). */
  readonly maxOrderNotional: number;
  /** Largest quantity of one order, whatever the price: catches a mistyped share count on a cheap stock. */
  readonly maxOrderQty: number;
  /** Largest |position| notional in one symbol after the order, counting open orders on the same side. */
  readonly maxPositionNotional: number;
  /** Largest sum over symbols of |position notional| after the order, counting open orders. */
  readonly maxGrossExposure: number;
  /** Loss of the trading day (realized + unrealized, as a positive number) that halts trading until the next day. */
  readonly dailyLossLimit: number;
  /** Fat-finger band: the furthest a limit price may be from the quote mid, in percent of the mid. */
  readonly priceBandPct: number;
  /** When non-empty, only these symbols may be traded. */
  readonly allowedSymbols: readonly string[];
  /** Symbols that may never be traded; wins over the allow list. */
  readonly deniedSymbols: readonly string[];
}

/**
 * Conservative defaults for a paper-trading account with a $100k balance: no single order above
 * half the balance, no symbol above the full balance, 2x gross leverage at most, and a 5% daily
 * drawdown stop. The 10% price band lets a limit order sit well away from the market while
 * catching a price typed with the decimal point in the wrong place.
 */
export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({
  maxOrdersPerMinute: 10,
  maxOrderNotional: 50_000,
  maxOrderQty: 10_000,
  maxPositionNotional: 100_000,
  maxGrossExposure: 200_000,
  dailyLossLimit: 5_000,
  priceBandPct: 10,
  allowedSymbols: Object.freeze([]),
  deniedSymbols: Object.freeze([]),
});

/** Stable codes of risk rejections; each names the limit that refused the order. */
export const RiskCode = {
  KILL_SWITCH: 'KILL_SWITCH',
  TRADING_DISABLED: 'TRADING_DISABLED',
  DAILY_LOSS_LIMIT: 'DAILY_LOSS_LIMIT',
  SYMBOL_DENIED: 'SYMBOL_DENIED',
  SYMBOL_NOT_ALLOWED: 'SYMBOL_NOT_ALLOWED',
  ORDER_RATE_LIMIT: 'ORDER_RATE_LIMIT',
  NO_MARKET_DATA: 'NO_MARKET_DATA',
  PRICE_BAND: 'PRICE_BAND',
  MAX_ORDER_QTY: 'MAX_ORDER_QTY',
  MAX_ORDER_NOTIONAL: 'MAX_ORDER_NOTIONAL',
  MAX_POSITION_NOTIONAL: 'MAX_POSITION_NOTIONAL',
  MAX_GROSS_EXPOSURE: 'MAX_GROSS_EXPOSURE',
} as const;
export type RiskCode = (typeof RiskCode)[keyof typeof RiskCode];
