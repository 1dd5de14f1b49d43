import type { BrokerKind, OrderType, Side, TimeInForce } from '@tickstream/contracts';

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

export interface BrokerKeysInfo {
  keyIdMasked: string;
  paper: boolean;
  updatedAt: string;
  /** PUT only: the Alpaca account the keys opened when they were checked. */
  account?: { status: string; currency: string; buyingPower: string | number; tradingBlocked: boolean };
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

export type { AccountSummary, OrderView, PositionView, Watchlist } from '@tickstream/contracts';
