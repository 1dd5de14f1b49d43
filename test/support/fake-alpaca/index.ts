import { FakeBarsApi } from './bars-api';
import { FakeHttpServer } from './http-server';
import type { MarketStreamOptions } from './market-stream';
import { FakeMarketStream } from './market-stream';
import type { FakeFailure, FakeKey, FakeMarketMessage, FakeRestBar } from './types';

export type {
  FakeFailure,
  FakeKey,
  FakeMarketMessage,
  FakeRestBar,
  FakeTrade,
  FakeQuote,
  FakeBar,
} from './types';
export type { FakeStreamClient } from './market-stream';
export { FakeHttpServer, sendJson } from './http-server';
export type { RouteHandler, UpgradeHandler } from './http-server';
export { FakeAlpacaTrading } from './trading';
export type { FakeTradingOptions } from './trading';
export type { FakeTradingRequest } from './trading-api';
export type { FakeTradingStreamClient } from './trading-stream';
export type { FakeTradeUpdate, FakeTradingFailure, FakeTradingOrder } from './trading-types';

export { fakeTrade } from './types';

export const FAKE_KEY: FakeKey = { key: 'test-key', secret: 'test-secret' };

export interface FakeAlpacaOptions extends Partial<MarketStreamOptions> {
  /** Accepted credentials; default [FAKE_KEY]. */
  keys?: readonly FakeKey[];
}

/**
 * An in-process Alpaca for tests: the market-data stream v2 at `url + '/' + feed` and the REST
 * bars endpoint at `restUrl`, on one ephemeral loopback port. The trading API can be added as
 * another module registering its routes on `http`.
 *
 * @example
 *   const alpaca = await FakeAlpaca.start();
 *   const source = createAlpacaSource({ url: alpaca.url, keyId: FAKE_KEY.key, ... });
 *   alpaca.push([{ T: 't', S: 'AAPL', ... }]);
 *   await alpaca.close();
 */
export class FakeAlpaca {
  private constructor(
    readonly http: FakeHttpServer,
    readonly stream: FakeMarketStream,
    readonly bars: FakeBarsApi,
  ) {}

  static async start(opts: FakeAlpacaOptions = {}): Promise<FakeAlpaca> {
    const http = await FakeHttpServer.listen();
    const keys = opts.keys ?? [FAKE_KEY];
    const stream = new FakeMarketStream(http, {
      keys,
      authTimeoutMs: opts.authTimeoutMs ?? 2000,
      connectedDelayMs: opts.connectedDelayMs ?? 0,
      symbolLimit: opts.symbolLimit ?? 30,
      maxConnectionsPerKey: opts.maxConnectionsPerKey ?? 1,
    });
    return new FakeAlpaca(http, stream, new FakeBarsApi(http, keys));
  }

  /** Stream base URL (ws://127.0.0.1:port/v2); the feed goes after it. */
  get url(): string {
    return `ws://127.0.0.1:${this.http.port}/v2`;
  }

  /** REST base URL, in place of https://data.alpaca.markets. */
  /**
   * The environment of an ingest process that streams `symbols` from this fake over `framing`,
   * logged in with FAKE_KEY, publishing under the topic prefix `prefix`.
   */
  ingestEnv(prefix: string, framing: 'json' | 'msgpack', symbols: string[]): Record<string, string> {
    return {
      TOPIC_PREFIX: prefix,
      INGEST_SOURCE: 'alpaca',
      ALPACA_KEY_ID: FAKE_KEY.key,
      ALPACA_SECRET_KEY: FAKE_KEY.secret,
      ALPACA_STREAM_URL: this.url,
      ALPACA_FRAMING: framing,
      DEFAULT_SYMBOLS: symbols.join(','),
    };
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  /** One batched frame to each authenticated client, filtered by its subscriptions. */
  push(messages: readonly FakeMarketMessage[]): number {
    return this.stream.push(messages);
  }

  pushRaw(frame: string | Buffer): void {
    this.stream.pushRaw(frame);
  }

  sendError(code: number, opts: { close?: boolean } = {}): void {
    this.stream.sendError(code, opts.close ?? false);
  }

  dropConnections(): void {
    this.stream.dropConnections();
  }

  failNext(f: FakeFailure): void {
    if (f.kind === 'bars') this.bars.failNext(f);
    else this.stream.failNext(f);
  }

  setBars(symbol: string, bars: readonly FakeRestBar[]): void {
    this.bars.setBars(symbol, bars);
  }

  async close(): Promise<void> {
    await this.stream.close();
    await this.http.close();
  }
}
