import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeHttpServer } from './http-server';
import { sendJson } from './http-server';
import type { FakeTradingAccount, FakeTradingBook } from './trading-book';
import { FakeTradingRefusal, OPEN_ALPACA_STATUSES, money } from './trading-book';
import type { FakeTradingFailure } from './trading-types';
import { ALPACA_CODES } from './trading-types';
import type { FakeKey } from './types';

export interface TradingApiOptions {
  keys: readonly FakeKey[];
  /** Requests per minute per key before 429; Alpaca allows 200. */
  ratePerMinute: number;
}

/** One request as the fake saw it, without the credentials. */
export interface FakeTradingRequest {
  method: string;
  path: string;
  keyId: string | undefined;
  body: Record<string, unknown> | undefined;
}

const DEFAULT_FAILURE_BODY: Record<FakeTradingFailure['status'], { code: number; message: string }> = {
  403: { code: ALPACA_CODES.forbidden, message: 'insufficient buying power' },
  422: { code: ALPACA_CODES.validation, message: 'invalid order' },
  429: { code: ALPACA_CODES.rateLimited, message: 'too many requests.' },
  500: { code: 50010000, message: 'internal server error occurred' },
  503: { code: 50310000, message: 'service unavailable' },
};

/**
 * The REST half of Alpaca's trading API: /v2/orders (POST, GET, GET by id, DELETE),
 * /v2/orders:by_client_order_id, /v2/account and /v2/positions, behind the APCA-API-* headers
 * (403 on bad keys), with X-Ratelimit-* headers on every answer and 429 past the per-minute limit.
 */
export class FakeTradingApi {
  readonly requests: FakeTradingRequest[] = [];
  private readonly failures: FakeTradingFailure[] = [];
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    http: FakeHttpServer,
    private readonly book: FakeTradingBook,
    private readonly opts: TradingApiOptions,
  ) {
    http.route(
      'POST',
      /^\/v2\/orders$/,
      this.guard((a, body) => this.book.submit(a, body ?? {})),
    );
    http.route(
      'GET',
      /^\/v2\/orders$/,
      this.guard((a, _b, url) => this.list(a, url)),
    );
    http.route(
      'GET',
      /^\/v2\/orders:by_client_order_id$/,
      this.guard((a, _b, url) => this.own(a, url.searchParams.get('client_order_id') ?? '')),
    );
    http.route(
      'GET',
      /^\/v2\/orders\/[^/]+$/,
      this.guard((a, _b, url) => this.own(a, lastSegment(url))),
    );
    http.route(
      'DELETE',
      /^\/v2\/orders\/[^/]+$/,
      this.guard((a, _b, url) => {
        this.book.finish(this.own(a, lastSegment(url)).id, 'canceled');
        return null;
      }),
    );
    http.route(
      'GET',
      /^\/v2\/account$/,
      this.guard((a) => this.accountOf(a)),
    );
    http.route(
      'GET',
      /^\/v2\/positions$/,
      this.guard((a) => this.positionsOf(a)),
    );
  }

  failNext(f: FakeTradingFailure): void {
    this.failures.push(f);
  }

  private guard(
    work: (a: FakeTradingAccount, body: Record<string, unknown> | undefined, url: URL) => unknown,
  ) {
    return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
      const keyId = header(req, 'apca-api-key-id');
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, keyId, body });
      const key = this.opts.keys.find(
        (k) => k.key === keyId && k.secret === header(req, 'apca-api-secret-key'),
      );
      if (!key) return sendJson(res, 403, { code: ALPACA_CODES.forbidden, message: 'forbidden.' });
      const limit = this.rateHeaders(key.key);
      const i = this.failures.findIndex(
        (f) => (f.method ?? 'POST') === req.method && (f.key ?? key.key) === key.key,
      );
      const failure = i < 0 ? undefined : this.failures.splice(i, 1)[0];
      if (failure) {
        const headers = failure.status === 429 ? { ...limit, 'X-Ratelimit-Remaining': '0' } : limit;
        return sendJson(res, failure.status, failure.body ?? DEFAULT_FAILURE_BODY[failure.status], headers);
      }
      if (limit['X-Ratelimit-Remaining'] === '-1') {
        return sendJson(res, 429, DEFAULT_FAILURE_BODY[429], { ...limit, 'X-Ratelimit-Remaining': '0' });
      }
      try {
        const out = work(this.book.account(key.key), body, url);
        if (out === null) {
          res.writeHead(204, limit);
          res.end();
        } else sendJson(res, 200, out, limit);
      } catch (err) {
        if (!(err instanceof FakeTradingRefusal)) throw err;
        sendJson(res, err.status, { code: err.code, message: err.message }, limit);
      }
    };
  }

  /** Counts the request in its key's minute; Remaining -1 means this one is over the limit. */
  private rateHeaders(key: string): Record<string, string> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return {
      'X-Ratelimit-Limit': String(this.opts.ratePerMinute),
      'X-Ratelimit-Remaining': String(Math.max(-1, this.opts.ratePerMinute - w.count)),
      'X-Ratelimit-Reset': String(Math.ceil((w.start + 60_000) / 1000)),
    };
  }

  private own(a: FakeTradingAccount, idOrClientId: string) {
    const order = a.orders.find((o) => o.id === idOrClientId || o.client_order_id === idOrClientId);
    if (!order) throw new FakeTradingRefusal(404, ALPACA_CODES.notFound, 'order not found');
    return order;
  }

  private list(a: FakeTradingAccount, url: URL) {
    const status = url.searchParams.get('status') ?? 'open';
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const wanted = a.orders.filter(
      (o) => status === 'all' || (status === 'open') === OPEN_ALPACA_STATUSES.has(o.status),
    );
    return wanted.slice(-limit).reverse();
  }

  private accountOf(a: FakeTradingAccount) {
    const longValue = [...a.positions].reduce(
      (s, [sym, p]) => s + (p.qty > 0 ? p.qty * this.book.priceOf(sym) : 0),
      0,
    );
    const shortValue = [...a.positions].reduce(
      (s, [sym, p]) => s + (p.qty < 0 ? p.qty * this.book.priceOf(sym) : 0),
      0,
    );
    const equity = a.cash + longValue + shortValue;
    const bp = money(this.book.buyingPower(a));
    return {
      id: `fake-${a.key}`,
      account_number: `PA${a.key
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 10)}`,
      status: 'ACTIVE',
      currency: 'USD',
      cash: money(a.cash),
      buying_power: bp,
      regt_buying_power: bp,
      daytrading_buying_power: '0',
      non_marginable_buying_power: bp,
      equity: money(equity),
      last_equity: money(equity),
      long_market_value: money(longValue),
      short_market_value: money(shortValue),
      portfolio_value: money(equity),
      multiplier: '1',
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      shorting_enabled: false,
      daytrade_count: 0,
    };
  }

  private positionsOf(a: FakeTradingAccount) {
    return [...a.positions]
      .filter(([, p]) => p.qty !== 0)
      .map(([symbol, p]) => {
        const price = this.book.priceOf(symbol);
        const avg = p.cost / p.qty;
        return {
          symbol,
          exchange: 'NASDAQ',
          asset_class: 'us_equity',
          qty: String(p.qty),
          qty_available: String(p.qty),
          side: p.qty > 0 ? 'long' : 'short',
          avg_entry_price: money(avg),
          market_value: money(p.qty * price),
          cost_basis: money(p.cost),
          unrealized_pl: money(p.qty * (price - avg)),
          unrealized_plpc: money((price - avg) / avg),
          current_price: money(price),
        };
      });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function lastSegment(url: URL): string {
  return decodeURIComponent(url.pathname.split('/').pop() ?? '');
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
