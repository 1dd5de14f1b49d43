import type { FakeHttpServer } from './http-server';
import { sendJson } from './http-server';
import type { FakeFailure, FakeKey, FakeRestBar } from './types';

/**
 * GET /v2/stocks/bars: multi-symbol, sorted by symbol then time, paginated with an opaque
 * next_page_token like Alpaca's (a page may end in the middle of a symbol).
 */
export class FakeBarsApi {
  /** Every request URL, for assertions on paging and parameters. */
  readonly requests: URL[] = [];
  private readonly bars = new Map<string, FakeRestBar[]>();
  private readonly failures: Array<Extract<FakeFailure, { kind: 'bars' }>> = [];

  constructor(
    http: FakeHttpServer,
    private readonly keys: readonly FakeKey[],
  ) {
    http.route('GET', /^\/v2\/stocks\/bars$/, (req, res, url) => {
      this.requests.push(url);
      const key = this.keys.find(
        (k) => k.key === req.headers['apca-api-key-id'] && k.secret === req.headers['apca-api-secret-key'],
      );
      if (!key) return sendJson(res, 403, { message: 'forbidden.' });
      const failure = this.failures.shift();
      if (failure) {
        const headers: Record<string, string> =
          failure.retryAfterSec === undefined ? {} : { 'Retry-After': String(failure.retryAfterSec) };
        return sendJson(
          res,
          failure.status,
          { message: failure.status === 429 ? 'too many requests.' : 'failure on demand' },
          headers,
        );
      }
      const result = this.page(url);
      if (typeof result === 'string') return sendJson(res, 422, { message: result });
      sendJson(res, 200, result);
    });
  }

  setBars(symbol: string, bars: readonly FakeRestBar[]): void {
    this.bars.set(
      symbol,
      [...bars].sort((a, b) => Date.parse(a.t) - Date.parse(b.t)),
    );
  }

  failNext(f: Extract<FakeFailure, { kind: 'bars' }>): void {
    this.failures.push(f);
  }

  private page(url: URL): { bars: Record<string, FakeRestBar[]>; next_page_token: string | null } | string {
    const p = url.searchParams;
    const symbols = (p.get('symbols') ?? '').split(',').filter(Boolean).sort();
    if (symbols.length === 0) return 'symbols is required';
    if (!/^\d+(Min|Hour|Day|Week|Month)$/.test(p.get('timeframe') ?? '')) return 'invalid timeframe';
    const limit = Number(p.get('limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return 'invalid limit';
    const start = p.has('start') ? Date.parse(p.get('start') ?? '') : -Infinity;
    const end = p.has('end') ? Date.parse(p.get('end') ?? '') : Infinity;
    const all = symbols.flatMap((symbol) =>
      (this.bars.get(symbol) ?? [])
        .filter((b) => Date.parse(b.t) >= start && Date.parse(b.t) <= end)
        .map((bar) => ({ symbol, bar })),
    );
    const token = p.get('page_token');
    const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return 'invalid page_token';
    const slice = all.slice(offset, offset + limit);
    const bars: Record<string, FakeRestBar[]> = {};
    for (const { symbol, bar } of slice) (bars[symbol] ??= []).push(bar);
    const next =
      offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return { bars, next_page_token: next };
  }
}
