import { TickstreamError, backoffDelay } from '@tickstream/contracts';
import type { Bar, Clock } from '../events';
import { validateSymbols } from '../symbols';

/** What the backfill logs through: a pino logger or ingest's SourceLogger fits. */
export interface BackfillLogger {
  warn(obj: object, msg?: string): void;
}

const silentLogger: BackfillLogger = { warn: () => {} };

export interface BackfillOptions {
  symbols: readonly string[];
  keyId: string;
  secretKey: string;
  /** Alpaca timeframe: [1-59]Min, [1-23]Hour, 1Day or 1Week. Default 1Min. */
  timeframe?: string;
  start: Date | string;
  end?: Date | string;
  /** Bars per page, 1..10000. Default 10000 (fewest requests against the rate limit). */
  limit?: number;
  /** Default iex: sip history of the last 15 minutes needs a paid plan. */
  feed?: 'iex' | 'sip' | 'delayed_sip';
  adjustment?: 'raw' | 'split' | 'dividend' | 'all';
  /** Default https://data.alpaca.markets. */
  baseUrl?: string;
  /** Retries of one page after 429 or 5xx before giving up. Default 5. */
  maxRetries?: number;
  /** Back-off when there is no Retry-After: initialMs * 2^attempt, capped. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: BackfillLogger;
  signal?: AbortSignal;
}

/** One bar as Alpaca's REST bars endpoint answers it (t: RFC 3339; n and vw may be absent). */
export interface AlpacaRestBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

interface BarsPage {
  bars: Record<string, AlpacaRestBar[]> | null;
  next_page_token: string | null;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  Min: 60_000,
  Hour: 3_600_000,
  Day: 86_400_000,
  Week: 604_800_000,
};

/** Months are left out on purpose: they have no fixed length for interval_ms. */
export function timeframeMs(timeframe: string): number {
  const m = /^(\d+)(Min|Hour|Day|Week)$/.exec(timeframe);
  const unit = m ? UNIT_MS[m[2] ?? ''] : undefined;
  if (!m || unit === undefined)
    throw new TickstreamError('INVALID_TIMEFRAME', `unsupported timeframe ${timeframe}`);
  return Number(m[1]) * unit;
}

const iso = (d: Date | string): string => (typeof d === 'string' ? d : d.toISOString());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Historical bars from GET /v2/stocks/bars, following next_page_token until null. Bars come
 * sorted by symbol, then time, as Alpaca returns them.
 *
 * @example
 *   for await (const bar of backfillBars({ symbols: ['AAPL'], start: '2025-01-02', keyId, secretKey })) sink.bar(bar);
 */
export async function* backfillBars(opts: BackfillOptions): AsyncGenerator<Bar> {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? silentLogger;
  const timeframe = opts.timeframe ?? '1Min';
  const interval = timeframeMs(timeframe);
  const maxRetries = opts.maxRetries ?? 5;
  const base = new URL('/v2/stocks/bars', opts.baseUrl ?? 'https://data.alpaca.markets');
  base.searchParams.set('symbols', validateSymbols(opts.symbols).join(','));
  base.searchParams.set('timeframe', timeframe);
  base.searchParams.set('start', iso(opts.start));
  if (opts.end !== undefined) base.searchParams.set('end', iso(opts.end));
  base.searchParams.set('limit', String(opts.limit ?? 10_000));
  base.searchParams.set('feed', opts.feed ?? 'iex');
  base.searchParams.set('adjustment', opts.adjustment ?? 'raw');
  const headers = { 'APCA-API-KEY-ID': opts.keyId, 'APCA-API-SECRET-KEY': opts.secretKey };

  let token: string | null = null;
  do {
    const url = new URL(base);
    if (token !== null) url.searchParams.set('page_token', token);
    const page = await fetchPage(url);
    for (const [symbol, bars] of Object.entries(page.bars ?? {})) {
      for (const b of bars) {
        yield {
          symbol,
          start_time: Date.parse(b.t),
          interval_ms: interval,
          open: b.o,
          high: b.h,
          low: b.l,
          close: b.c,
          volume: b.v,
          trade_count: b.n ?? null,
          vwap: b.vw ?? null,
          is_update: false,
          ingest_time: clock(),
          source: 'alpaca',
        };
      }
    }
    token = page.next_page_token;
  } while (token !== null);

  async function fetchPage(url: URL): Promise<BarsPage> {
    for (let attempt = 0; ; attempt++) {
      const res = await doFetch(url, { headers, signal: opts.signal });
      if (res.ok) return (await res.json()) as BarsPage;
      const body = await res.text();
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= maxRetries) {
        throw new TickstreamError(
          `ALPACA_REST_${res.status}`,
          `GET ${url.pathname} failed with ${res.status}: ${body.slice(0, 200)}`,
          {
            retryable,
          },
        );
      }
      const backoff = backoffDelay(attempt, {
        initialMs: opts.retryInitialMs ?? 1000,
        maxMs: opts.retryMaxMs ?? 30_000,
      });
      const delay = retryAfterMs(res.headers.get('retry-after'), clock()) ?? backoff;
      logger.warn(
        { status: res.status, attempt: attempt + 1, delayMs: delay },
        'alpaca backfill: request refused, backing off',
      );
      await sleep(delay);
    }
  }
}
