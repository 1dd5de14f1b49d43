import { Backoff } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import WebSocket from 'ws';
import type { AlpacaKeys, AlpacaOrder } from './client';

/** One message of the trade_updates stream. */
export interface TradeUpdate {
  event: string;
  order: AlpacaOrder;
  price?: string;
  qty?: string;
  timestamp?: string;
}

/**
 * Follows one account's trade_updates stream: authenticates, listens, hands every update to
 * `onUpdate`, and reconnects with backoff. `onConnected` runs after each (re)connection so the
 * caller can reconcile what it missed while disconnected.
 */
export class TradeUpdatesStream {
  private ws?: WebSocket;
  private closed = false;
  private readonly backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private ready?: Promise<void>;

  constructor(
    private readonly opts: {
      url: string;
      keys: AlpacaKeys;
      log: Logger;
      onUpdate: (u: TradeUpdate) => Promise<void>;
      onConnected: () => Promise<void>;
    },
  ) {}

  /** Resolves once the stream listens (the first time), so no update of a new order is missed. */
  connect(): Promise<void> {
    this.ready ??= this.open().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.opts.url);
      this.ws = ws;
      let listening = false;
      const timer = setTimeout(() => ws.terminate(), 10_000);
      // Updates are applied one at a time, in arrival order.
      let chain = Promise.resolve();
      ws.on('open', () =>
        ws.send(
          JSON.stringify({ action: 'auth', key: this.opts.keys.keyId, secret: this.opts.keys.secretKey }),
        ),
      );
      ws.on('message', (data: WebSocket.RawData) => {
        const msg = parse(data);
        if (!msg) return;
        if (msg.stream === 'authorization') {
          if (msg.data?.status === 'authorized')
            ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
          else ws.close();
        } else if (msg.stream === 'listening') {
          listening = true;
          clearTimeout(timer);
          this.backoff.reset();
          chain = chain
            .then(() => this.opts.onConnected())
            .catch((err: unknown) => this.opts.log.warn({ err }, 'trade_updates reconcile failed'));
          resolve();
        } else if (msg.stream === 'trade_updates' && msg.data) {
          const update = msg.data as unknown as TradeUpdate;
          chain = chain
            .then(() => this.opts.onUpdate(update))
            .catch((err: unknown) =>
              this.opts.log.error({ err, event: update.event }, 'could not apply a trade update'),
            );
        }
      });
      ws.on('error', (err) => this.opts.log.warn({ err: err.message }, 'trade_updates stream error'));
      ws.on('close', () => {
        clearTimeout(timer);
        if (!listening)
          reject(new Error('trade_updates stream closed before listening (bad keys or unreachable)'));
        if (this.closed) return;
        setTimeout(() => void this.open().catch(() => undefined), this.backoff.next()).unref();
      });
    });
  }
}

function parse(data: WebSocket.RawData): { stream?: string; data?: Record<string, unknown> } | undefined {
  try {
    const buf = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(new Uint8Array(data));
    return JSON.parse(buf.toString('utf8')) as { stream?: string; data?: Record<string, unknown> };
  } catch {
    return undefined;
  }
}
