import type { BrokerKind, OrderEventType, OrderType, Side, TimeInForce } from '@tickstream/contracts';

export interface User {
  id: string;
  email: string;
  displayName: string | null;
  role: 'trader' | 'admin';
  broker: BrokerKind;
  createdAt: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

export interface Watchlist {
  id: string;
  name: string;
  position: number;
  symbols: string[];
  createdAt: string;
}

export interface BrokerKeysInfo {
  keyIdMasked: string;
  paper: boolean;
  updatedAt: string;
}

export interface RiskLimits {
  limits: Record<string, unknown>;
  overrides: Record<string, unknown>;
  updatedAt: string | null;
}

export interface OrderRequest {
  client_order_id: string;
  symbol: string;
  side: Side;
  qty: number;
  type: OrderType;
  time_in_force: TimeInForce;
  limit_price?: number;
  stop_price?: number;
}

export interface OrderAccepted {
  order_id: string;
  client_order_id: string;
  command_id: string;
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
  broker: string;
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
