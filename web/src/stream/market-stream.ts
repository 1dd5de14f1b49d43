import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '@tickstream/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import type { AuthSession } from '../api/auth';
import { Observable } from '../state/observable';

export type StreamSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; attempt: number; reason: string }
  | { status: 'replaced'; at: number }
  | { status: 'closed' };

export interface StreamStatus {
  connection: ConnectionState;
  /** Symbols the server confirmed, or the reason it refused the last subscribe. */
  subscribed: string[];
  error: string | null;
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10000];

/**
 * The market stream: one socket per tab, re-authenticated with a fresh token on every connect,
 * resubscribed to the wanted symbols after each reconnect. A `session_replaced` stops it until
 * the user takes the stream back (which in turn replaces the other tab).
 */
export class MarketStream extends Observable<StreamStatus> {
  readonly socket: StreamSocket;
  private wanted = new Set<string>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;

  constructor(private readonly auth: AuthSession) {
    super({ connection: { status: 'connecting' }, subscribed: [], error: null });
    this.socket = io({
      path: '/socket.io',
      transports: ['websocket'],
      autoConnect: false,
      // Called on every (re)connect, so a reconnect presents the current token, not the first one.
      auth: (cb) => {
        auth.token().then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
    });
    this.socket.on('connect', () => {
      this.attempt = 0;
      this.set({ connection: { status: 'live' }, error: null });
      void this.subscribeSymbols([...this.wanted]);
    });
    this.socket.on('disconnect', (reason) => {
      if (this.value.connection.status === 'replaced' || this.value.connection.status === 'closed') return;
      this.set({ connection: { status: 'reconnecting', attempt: 1, reason }, subscribed: [] });
      // The client reconnects by itself except when the server hung up on purpose.
      if (reason === 'io server disconnect') this.scheduleReconnect(reason);
    });
    this.socket.io.on('reconnect_attempt', (n) => {
      this.set({ connection: { status: 'reconnecting', attempt: n, reason: 'connection lost' } });
    });
    this.socket.on('connect_error', (err) => {
      const code = (err as Error & { data?: { code?: string } }).data?.code ?? err.message;
      // A refused handshake is not retried by the client: refresh the token and try again.
      if (!this.socket.active) {
        if (code === 'TOKEN_EXPIRED') void auth.refresh().catch(() => undefined);
        this.scheduleReconnect(code);
      } else {
        this.set({
          connection: { status: 'reconnecting', attempt: this.attempt + 1, reason: 'server unreachable' },
        });
      }
    });
    this.socket.on('session_replaced', (info) => {
      this.set({ connection: { status: 'replaced', at: info.at }, subscribed: [] });
    });
    // The gateway stopped these itself (a watchlist change, or the session ended): not wanted
    // any more, so a reconnect does not ask for them again.
    this.socket.on('unsubscribed', ({ symbols }) => {
      const gone = new Set(symbols);
      this.wanted = new Set([...this.wanted].filter((s) => !gone.has(s)));
      this.set({ subscribed: this.value.subscribed.filter((s) => !gone.has(s)) });
    });
  }

  start(): void {
    this.set({ connection: { status: 'connecting' } });
    this.socket.connect();
  }

  /** Takes the stream back after `session_replaced`; the other tab gets the message instead. */
  reclaim(): void {
    this.start();
  }

  close(): void {
    clearTimeout(this.retry);
    this.set({ connection: { status: 'closed' } });
    this.socket.disconnect();
  }

  /** Streams exactly these symbols from now on (and after every reconnect). */
  async follow(symbols: string[]): Promise<void> {
    const next = new Set(symbols);
    const dropped = [...this.wanted].filter((s) => !next.has(s));
    const added = symbols.filter((s) => !this.wanted.has(s));
    this.wanted = next;
    if (!this.socket.connected) return;
    if (dropped.length > 0) await this.emit('unsubscribe', dropped);
    if (added.length > 0) await this.subscribeSymbols(added);
  }

  private async subscribeSymbols(symbols: string[]): Promise<void> {
    if (symbols.length > 0) await this.emit('subscribe', symbols);
  }

  private async emit(event: 'subscribe' | 'unsubscribe', symbols: string[]): Promise<void> {
    let ack: SubscribeAck;
    try {
      ack = await this.socket.timeout(10000).emitWithAck(event, symbols);
    } catch {
      this.set({ error: `The server did not confirm the ${event} in time.` });
      return;
    }
    if (ack.ok) this.set({ subscribed: ack.symbols, error: null });
    else this.set({ error: ack.error.message });
  }

  private scheduleReconnect(reason: string): void {
    clearTimeout(this.retry);
    this.attempt += 1;
    this.set({ connection: { status: 'reconnecting', attempt: this.attempt, reason } });
    const delay = BACKOFF_MS[Math.min(this.attempt - 1, BACKOFF_MS.length - 1)] ?? 10000;
    this.retry = setTimeout(() => {
      if (this.auth.user) this.socket.connect();
    }, delay);
  }
}
