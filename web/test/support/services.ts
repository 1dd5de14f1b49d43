import type {
  AccountSummary,
  EffectiveRiskLimits,
  ModelInfo,
  OrderView,
  PositionView,
  Prediction,
  Quote,
  ServerToClientEvents,
  User,
} from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import { AuthSession } from '../../src/api/auth';
import { ApiClient } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import { buildServices } from '../../src/components/services';
import { PrefsStore } from '../../src/state/prefs';
import type { StreamSocket } from '../../src/stream/market-stream';

export const USER: User = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'trader@example.test',
  displayName: 'Trader',
  role: 'trader',
  broker: 'SIM',
  createdAt: '2026-01-05T14:30:00.000Z',
};

export const LIMITS: EffectiveRiskLimits = {
  // A new account's: the platform's defaults, no overrides.
  limits: { ...DEFAULT_RISK_LIMITS, allowedSymbols: [], deniedSymbols: [] },
  overrides: {},
  updatedAt: null,
};

export const ACCOUNT: AccountSummary = {
  realizedToday: 0,
  unrealized: 0,
  grossExposure: 0,
  openOrders: 0,
  tradingEnabled: true,
  haltedForDay: false,
  killSwitch: false,
};

/** What the fake REST API answers; tests change it between calls. */
export interface ApiData {
  orders: OrderView[];
  positions: PositionView[];
  account: AccountSummary;
  limits: EffectiveRiskLimits;
  /** GET /api/ml/models/{version}; 404 for a version not in it. */
  models: Record<string, ModelInfo>;
  /** Thrown by POST /api/orders when set. */
  placeError?: unknown;
}

/**
 * The dashboard's services around a fake REST API and a socket that never connects: the stores
 * and components are real, the server is played by `api` (its answers in `data`) and by
 * `deliver` (server-to-client socket events).
 */
export function testServices(opts: { user?: Partial<User>; data?: Partial<ApiData> } = {}) {
  const user = { ...USER, ...opts.user };
  sessionStorage.setItem(
    'tickstream.session',
    JSON.stringify({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000, user }),
  );
  const auth = new AuthSession(sessionStorage);
  const data: ApiData = {
    orders: [],
    positions: [],
    account: ACCOUNT,
    limits: LIMITS,
    models: {},
    ...opts.data,
  };
  const placed: unknown[] = [];
  const api = new ApiClient(auth);
  Object.assign(api, {
    orders: async () => data.orders,
    positions: async () => data.positions,
    account: async () => data.account,
    riskLimits: async () => data.limits,
    watchlists: async () => [],
    modelInfo: async (version: string) => {
      const info = data.models[version];
      if (!info) throw new ApiError(404, 'NOT_FOUND', 'model not found');
      return info;
    },
    placeOrder: async (order: unknown) => {
      placed.push(order);
      if (data.placeError) throw data.placeError;
      return { order_id: `order-${placed.length}`, client_order_id: 'c', command_id: 'k' };
    },
  });
  const services = buildServices(auth, api, new PrefsStore(user.id, localStorage));
  const { stream } = services;

  /** A server-to-client event, to the socket's local listeners (as if it had arrived). */
  function deliver<E extends keyof ServerToClientEvents>(
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    // socket.io-client's `emit` sends to the server; `emitReserved` is how it calls its own listeners.
    (stream.socket as unknown as { emitReserved(e: string, ...a: unknown[]): void }).emitReserved(
      event,
      ...args,
    );
  }
  return { services, data, placed, deliver, socket: stream.socket as StreamSocket };
}

export function quote(symbol: string, bid: number, ask: number, at = Date.now()): Quote {
  return {
    symbol,
    bid_price: bid,
    ask_price: ask,
    bid_size: 100,
    ask_size: 100,
    event_time: at,
    ingest_time: at,
    bid_exchange: null,
    ask_exchange: null,
    conditions: [],
    tape: null,
    source: 'sim',
  };
}

export function prediction(symbol: string, probUp: number, version = 'rf-test-1'): Prediction {
  const now = Date.now();
  return {
    symbol,
    bar_time: now,
    prob_up: probUp,
    label: probUp >= 0.5 ? 'UP' : 'DOWN',
    horizon_bars: 5,
    model_version: version,
    feature_set_version: 'fs1',
    bar_ingest_time: now,
    features_time: now,
    predicted_time: now,
    latency_ms: 0,
  };
}

export function position(
  symbol: string,
  qty: number,
  avgPrice: number,
  mark: number | null = null,
): PositionView {
  return {
    symbol,
    qty,
    avgPrice,
    realizedPnl: 0,
    markPrice: mark,
    unrealizedPnl: mark === null ? null : (mark - avgPrice) * qty,
    marketValue: mark === null ? null : mark * qty,
  };
}

/** Lets the stores' animation-frame batching and pending promises run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
}
