import type { BrokerKind, OrderEventType, OrderType, Side, TimeInForce } from './generated/avro';

/** One field a request got wrong: its dotted path and what was expected (never the value sent). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The JSON body of every error answer of Tickstream's HTTP APIs, the gateway's and inference's
 * alike: switch on `code`, never on the message.
 */
export interface ErrorBody {
  code: string;
  message: string;
  /** VALIDATION_FAILED: each offending field. */
  details?: FieldIssue[];
  /** RATE_LIMITED: seconds until a retry can succeed (also the Retry-After header). */
  retryAfterSec?: number;
}

/** GET /api/orders: one order with its fills (the order service's tables, read by the gateway). */
export interface OrderView {
  orderId: string;
  clientOrderId: string;
  symbol: string | null;
  side: Side | null;
  qty: number | null;
  type: OrderType | null;
  timeInForce: TimeInForce | null;
  limitPrice: number | null;
  stopPrice: number | null;
  broker: BrokerKind;
  status: OrderEventType;
  filledQty: number;
  avgFillPrice: number | null;
  reasonCode: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  fills: { qty: number; price: number; filledAt: string }[];
}

/** GET /api/positions: open positions at the order service's liquidation-side marks. */
export interface PositionView {
  symbol: string;
  qty: number;
  avgPrice: number;
  realizedPnl: number;
  /** Bid for a long, ask for a short, from the order service's last quote; null when none is known. */
  markPrice: number | null;
  unrealizedPnl: number | null;
  marketValue: number | null;
}

/** GET /api/account. */
export interface AccountSummary {
  realizedToday: number;
  unrealized: number;
  grossExposure: number;
  openOrders: number;
  tradingEnabled: boolean;
  haltedForDay: boolean;
  killSwitch: boolean;
}

/** GET /api/watchlists: one of the user's watchlists, in the user's order (`position`). */
export interface Watchlist {
  id: string;
  name: string;
  position: number;
  symbols: string[];
  createdAt: string;
}

/** Held-out scores of one contender: the model or a naive baseline. */
export interface HeldOutScore {
  accuracy: number;
  balancedAccuracy: number;
}

/**
 * GET /api/ml/models/{version}: how far a trader may trust the model's signal. From the model
 * registry's evaluation (walk-forward, held out; docs/MODEL.md), plus the gateway's signal band.
 */
export interface ModelInfo {
  version: string;
  horizonBars: number;
  heldOut: {
    rows: number;
    model: HeldOutScore;
    baselines: { majority: HeldOutScore; previousDirection: HeldOutScore };
  };
  /** The registry's promotion rule: better than each baseline on balanced accuracy and log loss. */
  beatsBaselines: boolean;
  /** prob_up within 0.5 +/- this is shown as NEUTRAL (gateway setting ML_SIGNAL_BAND). */
  signalBand: number;
}

/** The default of ML_SIGNAL_BAND: 45%-55% probability up reads as no call. */
export const DEFAULT_SIGNAL_BAND = 0.05;
