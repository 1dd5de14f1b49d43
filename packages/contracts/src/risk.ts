/**
 * Pre-trade risk limits of one account, enforced by the order service. `DEFAULT_RISK_LIMITS`
 * applies to an account without its own row; an admin's overrides (table risk_limits) are merged
 * over it key by key. Shared here so the gateway can show and validate the defaults. Amounts are
 * USD, quantities shares.
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
  /** The account's own trading switch: an admin turns it off to refuse every new order of the account. */
  readonly tradingEnabled: boolean;
}

/**
 * The trading_controls row holding the platform-wide kill switch: the gateway's admins set it,
 * the order service reads it (its tests use rows of their own).
 */
export const GLOBAL_CONTROLS_ID = 'global';

/** Conservative defaults sized for a paper-trading account with the usual $100k balance. */
export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({
  /** A human clicks far slower; ten a minute only stops loops and double-submits. */
  maxOrdersPerMinute: 10,
  /** Half the balance in one order. */
  maxOrderNotional: 50_000,
  /** Ten thousand shares: a mistyped extra zero on a $2 stock still trips it. */
  maxOrderQty: 10_000,
  /** The whole balance in one symbol. */
  maxPositionNotional: 100_000,
  /** 2x gross leverage: Reg T's 50% initial margin on a margin account. */
  maxGrossExposure: 200_000,
  /** A 5% drawdown of the balance stops the day. */
  dailyLossLimit: 5_000,
  /** Wide enough to rest a limit well away from the market, narrow enough to catch a misplaced decimal point. */
  priceBandPct: 10,
  /** Empty: every symbol allowed. */
  allowedSymbols: Object.freeze([]),
  /** Empty: no symbol denied. */
  deniedSymbols: Object.freeze([]),
  tradingEnabled: true,
});
