import { TickstreamError, backoffDelay } from '@tickstream/contracts';
import type { ValidOrder } from '../domain';

export interface AlpacaKeys {
  keyId: string;
  secretKey: string;
}

/** The fields of Alpaca's order object this service reads (money and quantities are strings). */
export interface AlpacaOrder {
  id: string;
  client_order_id: string;
  status: string;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
}

/**
 * A refusal or failure of Alpaca's trading API, with the rejection code the order gets. Retryable
 * when Alpaca did not answer, failed (5xx) or asked to slow down (429).
 */
export class AlpacaError extends TickstreamError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message, { retryable: status === 0 || status === 429 || status >= 500 });
  }

  /** Network failures and 5xx: the order may or may not have arrived. */
  get uncertain(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/**
 * 429 means Alpaca did not act on the request, so retrying is safe even for POST /v2/orders.
 * Alpaca refills its budget continuously, so a short backoff usually gets through; the retries are
 * bounded because the account's command partition waits on them.
 */
const RATE_LIMIT_RETRIES = 3;
/** 250, 500, 1000 ms. */
const RATE_LIMIT_BACKOFF = { initialMs: 250, maxMs: 1000 };

/** Alpaca's status and body mapped to a code a trader can act on. */
function errorOf(status: number, body: { code?: number; message?: string }): AlpacaError {
  const text = body.message ?? `HTTP ${status}`;
  if (status === 403 && /buying power/i.test(text))
    return new AlpacaError(
      status,
      'ALPACA_INSUFFICIENT_BUYING_POWER',
      `Alpaca refused the order: insufficient buying power (${text})`,
    );
  if (status === 401 || status === 403)
    return new AlpacaError(status, 'ALPACA_FORBIDDEN', `Alpaca refused your keys or the order: ${text}`);
  if (status === 422)
    return new AlpacaError(status, 'ALPACA_VALIDATION', `Alpaca rejected the order as invalid: ${text}`);
  if (status === 429)
    return new AlpacaError(
      status,
      'ALPACA_RATE_LIMITED',
      `Alpaca rate limit reached (200 requests/min per account) and still reached after ${RATE_LIMIT_RETRIES} retries; place the order again shortly`,
    );
  return new AlpacaError(status, 'BROKER_UNAVAILABLE', `Alpaca answered ${status}: ${text}`);
}

/** Our order as Alpaca's POST /v2/orders body; our order id is Alpaca's client_order_id. */
export function toAlpacaOrder(order: ValidOrder): Record<string, string> {
  const body: Record<string, string> = {
    symbol: order.symbol,
    qty: String(order.qty),
    side: order.side.toLowerCase(),
    type: order.type.toLowerCase(),
    time_in_force: order.timeInForce.toLowerCase(),
    client_order_id: order.orderId,
  };
  if (order.limitPrice !== null) body.limit_price = String(order.limitPrice);
  if (order.stopPrice !== null) body.stop_price = String(order.stopPrice);
  return body;
}

/** The few calls of Alpaca's trading REST API the order service makes, for one account's keys. */
export class AlpacaTradingClient {
  constructor(
    private readonly baseUrl: string,
    private readonly keys: AlpacaKeys,
    private readonly timeoutMs = 10_000,
  ) {}

  submit(order: ValidOrder): Promise<AlpacaOrder> {
    return this.call('POST', '/v2/orders', toAlpacaOrder(order)) as Promise<AlpacaOrder>;
  }

  async byClientOrderId(clientOrderId: string): Promise<AlpacaOrder | null> {
    try {
      return (await this.call(
        'GET',
        `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`,
      )) as AlpacaOrder;
    } catch (err) {
      if (err instanceof AlpacaError && err.status === 404) return null;
      throw err;
    }
  }

  async cancel(alpacaOrderId: string): Promise<void> {
    await this.call('DELETE', `/v2/orders/${encodeURIComponent(alpacaOrderId)}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, body);
      const text = await res.text();
      if (res.status === 429 && attempt < RATE_LIMIT_RETRIES) {
        await sleep(backoffMs(attempt, res.headers.get('x-ratelimit-reset')));
        continue;
      }
      const parsed = parseBody(text);
      if (!res.ok) throw errorOf(res.status, parsed);
      return parsed;
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(this.baseUrl.replace(/\/$/, '') + path, {
        method,
        headers: {
          'APCA-API-KEY-ID': this.keys.keyId,
          'APCA-API-SECRET-KEY': this.keys.secretKey,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AlpacaError(
        0,
        'BROKER_UNAVAILABLE',
        `Alpaca could not be reached: ${(err as Error).message}`,
      );
    }
  }
}

/** Exponential, but no later than the window's reset (X-Ratelimit-Reset, epoch seconds). */
function backoffMs(attempt: number, reset: string | null): number {
  const exponential = backoffDelay(attempt, RATE_LIMIT_BACKOFF);
  const untilReset = reset === null ? NaN : Number(reset) * 1000 - Date.now();
  return Math.max(0, Number.isFinite(untilReset) ? Math.min(exponential, untilReset) : exponential);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseBody(text: string): { code?: number; message?: string } {
  try {
    return text ? (JSON.parse(text) as { code?: number; message?: string }) : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}
