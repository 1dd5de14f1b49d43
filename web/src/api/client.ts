import type {
  AccountSummary,
  BrokerKeysInfo,
  BrokerKeysSaved,
  CancelAccepted,
  EffectiveRiskLimits,
  ModelInfo,
  OrderAccepted,
  OrderView,
  PositionView,
  User,
  Watchlist,
} from '@tickstream/contracts';
import type { AuthSession } from './auth';
import { ApiError, toApiError } from './errors';
import type { OrderRequest } from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The REST API as the dashboard uses it; every call carries a valid access token. */
export class ApiClient {
  constructor(private readonly auth: AuthSession) {}

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async send(method: Method, path: string, body?: unknown, retried = false): Promise<Response> {
    const token = await this.auth.token();
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'cannot reach the server');
    }
    if (res.status === 401 && !retried) {
      // Expired early (clock skew, laptop sleep): refresh once and replay the call.
      await this.auth.refresh();
      return this.send(method, path, body, true);
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  me = () => this.request<User>('GET', '/api/me');
  setBroker = (broker: User['broker']) => this.request<User>('PUT', '/api/me/broker', { broker });
  riskLimits = () => this.request<EffectiveRiskLimits>('GET', '/api/risk-limits');

  watchlists = () => this.request<Watchlist[]>('GET', '/api/watchlists');
  createWatchlist = (name: string, symbols: string[] = []) =>
    this.request<Watchlist>('POST', '/api/watchlists', { name, symbols });
  renameWatchlist = (id: string, name: string) =>
    this.request<Watchlist>('PATCH', `/api/watchlists/${id}`, { name });
  deleteWatchlist = (id: string) => this.request<void>('DELETE', `/api/watchlists/${id}`);
  addSymbol = (id: string, symbol: string) =>
    this.request<Watchlist>('POST', `/api/watchlists/${id}/symbols`, { symbol });
  removeSymbol = (id: string, symbol: string) =>
    this.request<Watchlist>('DELETE', `/api/watchlists/${id}/symbols/${encodeURIComponent(symbol)}`);
  setSymbols = (id: string, symbols: string[]) =>
    this.request<Watchlist>('PUT', `/api/watchlists/${id}/symbols`, { symbols });

  brokerKeys = () => this.request<BrokerKeysInfo | null>('GET', '/api/broker-keys');
  saveBrokerKeys = (keyId: string, secretKey: string, paper: boolean) =>
    this.request<BrokerKeysSaved>('PUT', '/api/broker-keys', { keyId, secretKey, paper });
  deleteBrokerKeys = () => this.request<void>('DELETE', '/api/broker-keys');

  placeOrder = (order: OrderRequest) => this.request<OrderAccepted>('POST', '/api/orders', order);
  cancelOrder = (orderId: string) =>
    this.request<CancelAccepted>('DELETE', `/api/orders/${encodeURIComponent(orderId)}`);
  orders = () => this.request<OrderView[]>('GET', '/api/orders?status=all');
  modelInfo = (version: string) =>
    this.request<ModelInfo>('GET', `/api/ml/models/${encodeURIComponent(version)}`);
  /** The model's HTML report page (admins only; 403 otherwise). */
  modelReport = async (version: string) =>
    (await this.send('GET', `/api/admin/models/${encodeURIComponent(version)}/report`)).text();
  positions = () => this.request<PositionView[]>('GET', '/api/positions');
  account = () => this.request<AccountSummary>('GET', '/api/account');
}
