import { FakeHttpServer } from './http-server';
import type { FakeTradingRequest } from './trading-api';
import { FakeTradingApi } from './trading-api';
import type { FakeTradingAccount } from './trading-book';
import { FakeTradingBook } from './trading-book';
import { FakeTradingStream } from './trading-stream';
import type { FakeTradeUpdate, FakeTradingFailure, FakeTradingOrder } from './trading-types';
import type { FakeKey } from './types';

export interface FakeTradingOptions {
  /** Accepted credentials; each key is its own paper account. */
  keys: readonly FakeKey[];
  /** Cash (and so buying power) of every account; default 100,000. */
  startingCash?: number;
  /** Requests per minute per key before 429; default 200 like Alpaca. */
  ratePerMinute?: number;
  /** Binary frames like paper (default) or text. */
  binary?: boolean;
  /** An existing fake (the market-data one) to add the trading API to; else a server of its own. */
  http?: FakeHttpServer;
}

/**
 * An in-process Alpaca paper trading API: REST at `url` (in place of
 * https://paper-api.alpaca.markets) and trade_updates at `streamUrl`. Orders rest until the test
 * fills, cancels, expires or rejects them.
 *
 * @example
 *   const alpaca = await FakeAlpacaTrading.start({ keys: [FAKE_KEY] });
 *   // ... an order arrives with client_order_id 'abc'
 *   alpaca.fill('abc', { qty: 4, price: 101 }); // partial_fill
 *   alpaca.fill('abc');                           // fill of the rest
 *   alpaca.failNext({ status: 429 });             // the next POST /v2/orders is rate limited
 */
export class FakeAlpacaTrading {
  private constructor(
    readonly http: FakeHttpServer,
    private readonly ownsHttp: boolean,
    readonly book: FakeTradingBook,
    readonly api: FakeTradingApi,
    readonly stream: FakeTradingStream,
  ) {}

  static async start(opts: FakeTradingOptions): Promise<FakeAlpacaTrading> {
    const http = opts.http ?? (await FakeHttpServer.listen());
    const stream = new FakeTradingStream(http, { keys: opts.keys, binary: opts.binary ?? true });
    const book = new FakeTradingBook(opts.startingCash ?? 100_000, (key, update) =>
      stream.publish(key, update),
    );
    const api = new FakeTradingApi(http, book, { keys: opts.keys, ratePerMinute: opts.ratePerMinute ?? 200 });
    return new FakeAlpacaTrading(http, !opts.http, book, api, stream);
  }

  get url(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  get streamUrl(): string {
    return `ws://127.0.0.1:${this.http.port}/stream`;
  }

  get requests(): readonly FakeTradingRequest[] {
    return this.api.requests;
  }

  account(key: string): FakeTradingAccount {
    return this.book.account(key);
  }

  /** The order by Alpaca id or client_order_id, as the API would return it now. */
  order(idOrClientId: string): FakeTradingOrder | undefined {
    return this.book.find(idOrClientId)?.order;
  }

  setPrice(symbol: string, price: number): void {
    this.book.setPrice(symbol, price);
  }

  fill(idOrClientId: string, opts: { qty?: number; price?: number; lost?: boolean } = {}): FakeTradeUpdate {
    return this.book.fill(idOrClientId, opts);
  }

  cancel(idOrClientId: string): FakeTradeUpdate {
    return this.book.finish(idOrClientId, 'canceled');
  }

  expire(idOrClientId: string): FakeTradeUpdate {
    return this.book.finish(idOrClientId, 'expired');
  }

  reject(idOrClientId: string): FakeTradeUpdate {
    return this.book.finish(idOrClientId, 'rejected');
  }

  failNext(f: FakeTradingFailure): void {
    this.api.failNext(f);
  }

  /** Cuts every trade_updates connection; with `refuse`, reconnections fail until allowConnections(). */
  dropStream(opts: { refuse?: boolean } = {}): void {
    this.stream.drop(opts);
  }

  allowConnections(): void {
    this.stream.allowConnections();
  }

  /** Sends an already sent update again (a redelivery the client must not count twice). */
  resend(key: string, update: FakeTradeUpdate): void {
    this.stream.resend(key, update);
  }

  async close(): Promise<void> {
    await this.stream.close();
    if (this.ownsHttp) await this.http.close();
  }
}
