/** Alpaca's order object as the trading API returns it: money and quantities are strings. */
export interface FakeTradingOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  expired_at: string | null;
  canceled_at: string | null;
  failed_at: string | null;
  asset_class: 'us_equity';
  symbol: string;
  notional: string | null;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: string;
  order_type: string;
  type: string;
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  extended_hours: boolean;
}

/** One message of the trade_updates stream (the `data` of {"stream":"trade_updates"}). */
export interface FakeTradeUpdate {
  event: 'new' | 'partial_fill' | 'fill' | 'canceled' | 'expired' | 'rejected';
  execution_id?: string;
  order: FakeTradingOrder;
  timestamp: string;
  price?: string;
  qty?: string;
  position_qty?: string;
}

/**
 * A refusal the trading fake answers once, to the next request of `method` on any /v2/orders
 * path (POST by default): 429 comes with X-Ratelimit-* headers like Alpaca's, 403 with code
 * 40310000 "insufficient buying power" unless a body is given.
 */
export interface FakeTradingFailure {
  status: 403 | 422 | 429 | 500 | 503;
  method?: 'POST' | 'GET' | 'DELETE';
  /** Only a request with this API key id (any key when absent), so parallel tests keep apart. */
  key?: string;
  body?: { code: number; message: string };
}

export const ALPACA_CODES = {
  forbidden: 40310000,
  validation: 40010001,
  notFound: 40410000,
  notCancelable: 42210000,
  rateLimited: 42910000,
} as const;
