import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { FakeHttpServer } from './http-server';
import type { FakeTradeUpdate } from './trading-types';
import type { FakeKey } from './types';

export interface FakeTradingStreamClient {
  key?: string;
  listening: boolean;
  /** Every message the client sent, decoded: tests check the auth form and the listen. */
  received: Array<Record<string, unknown>>;
  socket: WebSocket;
}

/**
 * The trade_updates stream at /stream: auth in the current form ({"action":"auth","key",
 * "secret"}) or the older one SDKs still send ({"action":"authenticate","data":{"key_id",
 * "secret_key"}}), then {"action":"listen","data":{"streams":["trade_updates"]}}. Each client
 * gets its own account's updates only, as binary frames of JSON like paper (text with
 * `binary: false`).
 */
export class FakeTradingStream {
  readonly clients = new Set<FakeTradingStreamClient>();
  /** Updates sent per account key, in order, including those no client was listening for. */
  readonly sent = new Map<string, FakeTradeUpdate[]>();
  private readonly wss = new WebSocketServer({ noServer: true });
  /** While set, reconnecting clients are accepted then cut before auth, like a flapping link. */
  private refusing = false;

  constructor(
    http: FakeHttpServer,
    private readonly opts: { keys: readonly FakeKey[]; binary: boolean },
  ) {
    http.upgrade(/^\/stream$/, (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  publish(key: string, update: FakeTradeUpdate): void {
    this.sent.set(key, [...(this.sent.get(key) ?? []), update]);
    for (const c of this.clients)
      if (c.listening && c.key === key) this.send(c, { stream: 'trade_updates', data: update });
  }

  /** Sends an update again as it was, like a redelivery after a reconnect. */
  resend(key: string, update: FakeTradeUpdate): void {
    for (const c of this.clients)
      if (c.listening && c.key === key) this.send(c, { stream: 'trade_updates', data: update });
  }

  /** Kills every connection without a close handshake; with `refuse`, new ones too until allowed. */
  drop(opts: { refuse?: boolean } = {}): void {
    this.refusing = opts.refuse ?? false;
    for (const c of this.clients) c.socket.terminate();
  }

  allowConnections(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    if (this.refusing) {
      socket.terminate();
      return;
    }
    const client: FakeTradingStreamClient = { listening: false, received: [], socket };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('message', (data: RawData) => {
      const msg = decode(data);
      if (!msg) return this.send(client, { stream: 'error', data: { error_message: 'invalid syntax' } });
      client.received.push(msg);
      this.handle(client, msg);
    });
  }

  private handle(c: FakeTradingStreamClient, msg: Record<string, unknown>): void {
    const data = (typeof msg.data === 'object' && msg.data !== null ? msg.data : {}) as Record<
      string,
      unknown
    >;
    if (msg.action === 'auth' || msg.action === 'authenticate') {
      const [keyId, secret] = msg.action === 'auth' ? [msg.key, msg.secret] : [data.key_id, data.secret_key];
      const key = this.opts.keys.find((k) => k.key === keyId && k.secret === secret);
      this.send(c, {
        stream: 'authorization',
        data: { action: 'authenticate', status: key ? 'authorized' : 'unauthorized' },
      });
      if (!key) return void c.socket.close(1008);
      c.key = key.key;
      return;
    }
    if (msg.action === 'listen') {
      if (!c.key)
        return this.send(c, { stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } });
      const streams = Array.isArray(data.streams) ? data.streams.map(String) : [];
      c.listening = streams.includes('trade_updates');
      return this.send(c, { stream: 'listening', data: { streams: c.listening ? ['trade_updates'] : [] } });
    }
    this.send(c, { stream: 'error', data: { error_message: `unknown action ${String(msg.action)}` } });
  }

  private send(c: FakeTradingStreamClient, message: object): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    const text = JSON.stringify(message);
    c.socket.send(this.opts.binary ? Buffer.from(text, 'utf8') : text, { binary: this.opts.binary });
  }
}

function decode(data: RawData): Record<string, unknown> | undefined {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
