import http from 'node:http';
import https from 'node:https';
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
}

const UNAVAILABLE = 'the order service is unavailable; retry shortly';

/**
 * How long an idle connection to the order service is kept. A trader places an order every few
 * seconds at most, and with a client order id each one is first looked up here: with the
 * defaults (fetch's 4 s, Node's server 5 s) most of them paid a new connection. Below the order
 * service's server-side idle timeout (INTERNAL_KEEP_ALIVE_MS there, 65 s), so the service never
 * closes a connection this side is about to reuse; Node's agent also honours the server's
 * `Keep-Alive: timeout` hint when it is shorter.
 */
export const ORDERS_CONNECTION_IDLE_MS = 60_000;

interface Answer {
  status: number;
  body: unknown;
}

/**
 * One request on a kept-alive connection. Node's http client rather than fetch: the lookup of a
 * client order id is on every web order's path, and fetch cost ~2.5x its CPU per call (a
 * WHATWG stream per body). A request written to a kept connection the server closed at that
 * moment fails with ECONNRESET before the server read it (`reusedSocket`): a GET is sent again
 * once then, on a new connection.
 */
function requestOnce(
  agent: http.Agent,
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
  retryReset = init.method === 'GET',
): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const req = client.request(
      url,
      { agent, method: init.method, headers: init.headers, signal: init.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let body: unknown = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // An answer that is not JSON is judged by its status alone.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (retryReset && req.reusedSocket && err.code === 'ECONNRESET')
        resolve(requestOnce(agent, url, init, false));
      else reject(err);
    });
    req.end(init.body);
  });
}

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
  const timeoutMs = opts.timeoutMs ?? 3000;
  const agentOptions = { keepAlive: true, timeout: ORDERS_CONNECTION_IDLE_MS };
  const agent = base.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    let res: Answer;
    try {
      const json = body === undefined ? undefined : JSON.stringify(body);
      res = await requestOnce(agent, new URL(`${base}${path}`), {
        method,
        headers: {
          authorization: `Bearer ${opts.token}`,
          ...(json === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) }),
        },
        ...(json === undefined ? {} : { body: json }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DependencyUnavailableError('ORDERS_UNAVAILABLE', UNAVAILABLE, err);
    }
    const answer = (res.body ?? {}) as { code?: string; message?: string };
    if (res.status >= 200 && res.status < 300) return answer as T;
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
