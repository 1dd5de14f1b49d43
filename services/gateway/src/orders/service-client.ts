import type {
  AccountSummary,
  EffectiveRiskLimits,
  OrderView,
  PlacedOrder,
  PositionView,
  RiskAuditEntry,
  RiskLimitRecord,
  TradingHaltView,
} from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/platform';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../request';

export type OrderFilter = 'open' | 'closed' | 'all';

/**
 * What the gateway asks the order service, which owns orders, fills, positions, the accounts'
 * trading days, risk limits, the risk audit and the kill switch (docs/ARCHITECTURE.md, "Who
 * owns which table"). Every method throws ORDERS_UNAVAILABLE (503) when the service cannot answer.
 */
export interface OrdersApi {
  listOrders(accountId: string, filter: OrderFilter, limit: number): Promise<OrderView[]>;
  getOrder(accountId: string, orderId: string): Promise<OrderView | undefined>;
  orderByClientId(accountId: string, clientOrderId: string): Promise<PlacedOrder | undefined>;
  listPositions(accountId: string): Promise<PositionView[]>;
  accountSummary(accountId: string): Promise<AccountSummary>;
  readRiskLimits(accountId: string): Promise<EffectiveRiskLimits>;
  /** Replaces the account's overrides, audited as `adminId`'s change; answers the limits now in force. */
  writeRiskLimits(
    accountId: string,
    overrides: RiskLimitRecord,
    adminId: string,
  ): Promise<EffectiveRiskLimits>;
  listRiskAudit(accountId: string): Promise<RiskAuditEntry[]>;
  readHalt(accountId: string): Promise<TradingHaltView>;
  listHalts(): Promise<TradingHaltView[]>;
  /** NOT_HALTED (409) when the account is not halted today. */
  liftHalt(accountId: string, adminId: string, reason: string): Promise<TradingHaltView>;
  setKillSwitch(enabled: boolean, adminId: string): Promise<{ enabled: boolean; updatedAt: string }>;
}

export interface OrdersApiOptions {
  /** Base URL of the order service (ORDERS_URL), e.g. http://127.0.0.1:9105. */
  url: string;
  /** ORDERS_SERVICE_TOKEN. Never logged. */
  token: string;
  /** The longest one call waits for its answer (default 3000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const UNAVAILABLE = 'the order service is unavailable; retry shortly';

/**
 * The order service's internal API over HTTP. Statuses map to the gateway's errors: 404 to
 * NotFoundError (or undefined for a lookup), 409 to ConflictError with the service's code; an
 * unreachable service, a timeout, a 5xx or a refused service token to ORDERS_UNAVAILABLE (503):
 * nothing was changed that the caller does not know of, so the client may retry.
 *
 * @example
 *   const orders = ordersApi({ url: 'http://127.0.0.1:9105', token: config.ORDERS_SERVICE_TOKEN });
 *   const open = await orders.listOrders(userId, 'open', 100);
 */
export function ordersApi(opts: OrdersApiOptions): OrdersApi {
  const base = `${opts.url.replace(/\/+$/, '')}/internal/v1`;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 3000;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${opts.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DependencyUnavailableError('ORDERS_UNAVAILABLE', UNAVAILABLE, err);
    }
    const answer = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    if (res.ok) return answer as T;
    if (res.status === 404) return undefined;
    const code = answer.code ?? `HTTP_${res.status}`;
    const message = answer.message ?? `the order service answered ${res.status}`;
    if (res.status === 409) throw new ConflictError(code, message);
    if (res.status >= 500 || res.status === 401)
      throw new DependencyUnavailableError(
        'ORDERS_UNAVAILABLE',
        UNAVAILABLE,
        new TickstreamError(code, `${method} ${path}: ${res.status} ${message}`),
      );
    throw new TickstreamError(code, `the order service refused ${method} ${path}: ${message}`);
  }

  async function found<T>(path: string, what: string, method = 'GET', body?: unknown): Promise<T> {
    const value = await call<T>(method, path, body);
    if (value === undefined) throw new NotFoundError(what);
    return value;
  }

  const acct = (id: string) => `/accounts/${encodeURIComponent(id)}`;
  return {
    listOrders: (id, filter, limit) => found(`${acct(id)}/orders?status=${filter}&limit=${limit}`, 'account'),
    getOrder: (id, orderId) => call('GET', `${acct(id)}/orders/${encodeURIComponent(orderId)}`),
    orderByClientId: (id, clientOrderId) =>
      call('GET', `${acct(id)}/client-orders/${encodeURIComponent(clientOrderId)}`),
    listPositions: (id) => found(`${acct(id)}/positions`, 'account'),
    accountSummary: (id) => found(`${acct(id)}/summary`, 'account'),
    readRiskLimits: (id) => found(`${acct(id)}/risk-limits`, 'account'),
    writeRiskLimits: (id, overrides, adminId) =>
      found(`${acct(id)}/risk-limits`, 'account', 'PUT', { overrides, adminId }),
    listRiskAudit: (id) => found(`${acct(id)}/risk-audit`, 'account'),
    readHalt: (id) => found(`${acct(id)}/halt`, 'account'),
    listHalts: () => found('/halts', 'halts'),
    liftHalt: (id, adminId, reason) => found(`${acct(id)}/halt/lift`, 'account', 'POST', { adminId, reason }),
    setKillSwitch: (enabled, adminId) => found('/kill-switch', 'kill switch', 'PUT', { enabled, adminId }),
  };
}
