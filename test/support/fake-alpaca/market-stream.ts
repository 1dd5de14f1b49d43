import { decode, encode } from '@msgpack/msgpack';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { FakeHttpServer } from './http-server';
import type { FakeFailure, FakeKey, FakeMarketMessage } from './types';
import { ERROR_MESSAGES } from './types';

const CHANNELS = [
  'trades',
  'quotes',
  'bars',
  'updatedBars',
  'dailyBars',
  'statuses',
  'lulds',
  'corrections',
  'cancelErrors',
] as const;
type Channel = (typeof CHANNELS)[number];
const CHANNEL_OF: Readonly<Record<string, Channel>> = {
  t: 'trades',
  q: 'quotes',
  b: 'bars',
  u: 'updatedBars',
  d: 'dailyBars',
  s: 'statuses',
};

export interface MarketStreamOptions {
  keys: readonly FakeKey[];
  authTimeoutMs: number;
  /** Delay before "connected", so a test can prove auth sent before it is accepted. */
  connectedDelayMs: number;
  /** Distinct symbols allowed over trades and quotes (the free IEX plan allows 30). */
  symbolLimit: number;
  /** Per key and feed; Alpaca's plans allow one. */
  maxConnectionsPerKey: number;
}

export interface FakeStreamClient {
  feed: string;
  format: 'json' | 'msgpack';
  key?: string;
  authenticated: boolean;
  subscriptions: Record<Channel, Set<string>>;
  /** Every message the client sent, decoded. */
  received: Array<Record<string, unknown>>;
  socket: WebSocket;
}

/** The market-data stream v2 protocol, as documented, for one or more feeds. */
export class FakeMarketStream {
  readonly clients = new Set<FakeStreamClient>();
  /** Every client message of every connection so far, in arrival order. */
  readonly log: Array<{ feed: string; message: Record<string, unknown> }> = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly failures: FakeFailure[] = [];
  connectionCount = 0;

  constructor(
    http: FakeHttpServer,
    private readonly opts: MarketStreamOptions,
  ) {
    http.upgrade(/^\/v2\/(iex|sip|delayed_sip|test)$/, (req, socket, head, url) => {
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.accept(ws, req, url.pathname.split('/')[2] ?? 'iex'),
      );
    });
  }

  failNext(f: FakeFailure): void {
    this.failures.push(f);
  }

  /** Sends one batched frame to every authenticated client, holding only what it subscribed to. */
  push(messages: readonly FakeMarketMessage[]): number {
    let sent = 0;
    for (const c of this.clients) {
      if (!c.authenticated) continue;
      const wanted = messages.filter((m) => {
        const channel = CHANNEL_OF[String(m.T)];
        if (!channel) return true;
        const subs = c.subscriptions[channel];
        return subs.has('*') || subs.has(String(m.S));
      });
      if (wanted.length === 0) continue;
      this.send(c, wanted);
      sent += 1;
    }
    return sent;
  }

  /** Sends bytes as they are: for malformed-frame tests. */
  pushRaw(frame: string | Buffer): void {
    for (const c of this.clients) if (c.authenticated) c.socket.send(frame);
  }

  sendError(code: number, close = false): void {
    for (const c of this.clients) this.error(c, code, close);
  }

  /** Kills every connection without a close handshake, like a network failure. */
  dropConnections(): void {
    for (const c of this.clients) c.socket.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, req: IncomingMessage, feed: string): void {
    const format = String(req.headers['content-type'] ?? '').includes('msgpack') ? 'msgpack' : 'json';
    const subscriptions = Object.fromEntries(CHANNELS.map((c) => [c, new Set<string>()])) as Record<
      Channel,
      Set<string>
    >;
    const client: FakeStreamClient = {
      feed,
      format,
      authenticated: false,
      subscriptions,
      received: [],
      socket,
    };
    this.clients.add(client);
    this.connectionCount += 1;
    const authTimer = setTimeout(() => this.error(client, 404, true), this.opts.authTimeoutMs);
    socket.on('close', () => {
      clearTimeout(authTimer);
      this.clients.delete(client);
    });
    socket.on('message', (data, isBinary) => {
      const msg = this.decodeClient(data, isBinary);
      if (!msg) return this.error(client, 400, false);
      client.received.push(msg);
      this.log.push({ feed, message: msg });
      this.handle(client, msg, authTimer);
    });
    const connected = (): void => this.send(client, [{ T: 'success', msg: 'connected' }]);
    if (this.opts.connectedDelayMs > 0) setTimeout(connected, this.opts.connectedDelayMs);
    else connected();
  }

  private handle(c: FakeStreamClient, msg: Record<string, unknown>, authTimer: NodeJS.Timeout): void {
    if (msg.action === 'auth') {
      if (c.authenticated) return this.error(c, 403, false);
      clearTimeout(authTimer);
      const failure = this.takeFailure('auth');
      if (failure) return this.error(c, failure.code, true);
      const key = this.opts.keys.find((k) => k.key === msg.key && k.secret === msg.secret);
      if (!key) return this.error(c, 402, true);
      const open = [...this.clients].filter(
        (o) => o.authenticated && o.key === key.key && o.feed === c.feed,
      ).length;
      if (open >= this.opts.maxConnectionsPerKey) return this.error(c, 406, true);
      c.key = key.key;
      c.authenticated = true;
      return this.send(c, [{ T: 'success', msg: 'authenticated' }]);
    }
    if (msg.action !== 'subscribe' && msg.action !== 'unsubscribe') return this.error(c, 400, false);
    if (!c.authenticated) return this.error(c, 401, false);
    const failure = this.takeFailure('subscribe');
    if (failure) return this.error(c, failure.code, false);
    const next = Object.fromEntries(CHANNELS.map((ch) => [ch, new Set(c.subscriptions[ch])])) as Record<
      Channel,
      Set<string>
    >;
    for (const ch of CHANNELS) {
      const list = msg[ch];
      if (!Array.isArray(list)) continue;
      for (const s of list)
        if (msg.action === 'subscribe') next[ch].add(String(s));
        else next[ch].delete(String(s));
    }
    if (new Set([...next.trades, ...next.quotes]).size > this.opts.symbolLimit)
      return this.error(c, 405, false);
    c.subscriptions = next;
    this.send(c, [{ T: 'subscription', ...Object.fromEntries(CHANNELS.map((ch) => [ch, [...next[ch]]])) }]);
  }

  private takeFailure<K extends FakeFailure['kind']>(kind: K): Extract<FakeFailure, { kind: K }> | undefined {
    const i = this.failures.findIndex((f) => f.kind === kind);
    return i < 0 ? undefined : (this.failures.splice(i, 1)[0] as Extract<FakeFailure, { kind: K }>);
  }

  private error(c: FakeStreamClient, code: number, close: boolean): void {
    this.send(c, [{ T: 'error', code, msg: ERROR_MESSAGES[code] ?? 'error' }]);
    if (close) c.socket.close(1008);
  }

  private send(c: FakeStreamClient, messages: readonly object[]): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    if (c.format === 'json') return c.socket.send(JSON.stringify(messages));
    // msgpack carries times as the timestamp extension, which @msgpack/msgpack writes for a Date.
    const withDates = (messages as ReadonlyArray<Record<string, unknown>>).map((m) =>
      typeof m.t === 'string' ? { ...m, t: new Date(m.t) } : m,
    );
    c.socket.send(encode(withDates));
  }

  private decodeClient(data: RawData, isBinary: boolean): Record<string, unknown> | undefined {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    try {
      const v: unknown = isBinary ? decode(buf) : JSON.parse(buf.toString('utf8'));
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
