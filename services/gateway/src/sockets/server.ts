import type http from 'node:http';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
  SubscribeAck,
  SymbolSnapshot,
} from '@tickstream/contracts';
import type { Logger, prom } from '@tickstream/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import { Server } from 'socket.io';
import { coalesceWrites } from './coalesced-writes';
import type { LocalStream, LocalStreams } from './local-streams';
import type { SessionRegistry } from './sessions';
import {
  SerialQueue,
  WatchlistView,
  parseSymbols,
  payloadAndAck,
  refuse,
  subscribedSymbols,
  symbolRoom,
} from './subscriptions';

export type GatewayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Ack = (result: SubscribeAck) => void;

export { symbolRoom };
export const userRoom = (userId: string) => `user:${userId}`;

export interface SocketMetrics {
  connected: prom.Gauge;
  /** Watchlist lookups made for subscribes (one per socket until its user's watchlists change). */
  lookups: prom.Counter;
  /** Subscribes and unsubscribes refused by the per-socket rate limit. */
  rateLimited: prom.Counter;
}

export interface SocketDeps {
  verifyAccess(token: string): Promise<{ userId: string; role: string; sessionId: string }>;
  /** Symbols the user may stream: those of their own watchlists. */
  allowedSymbols(userId: string): Promise<ReadonlySet<string>>;
  /** A subscribe is answered with the symbol's snapshot (market's SnapshotStore). */
  store: { snapshot(symbol: string): SymbolSnapshot };
  sessions: SessionRegistry;
  /** This replica's sockets by user, where watchlist and session changes are applied. */
  streams: LocalStreams;
  log: Logger;
  corsOrigins: string[];
  maxSymbolsPerSocket: number;
  /** Subscribes plus unsubscribes one socket may send per window. */
  subscribeLimit: { points: number; durationSec: number };
  /**
   * Resolves when this replica may take sockets: its market feed has caught up, so a
   * subscribe gets a warm snapshot and live quotes. Handshakes wait for it.
   */
  accepting?: () => Promise<void>;
  metrics: SocketMetrics;
}

/**
 * Socket.IO on the gateway's HTTP server. The access token is checked in the handshake; each
 * socket joins its user's room (order events) and the rooms of the symbols it subscribes to,
 * which must be on the user's own watchlists. A subscribe answers with a snapshot per symbol
 * the socket did not stream yet; subscribes and unsubscribes are rate limited per socket and
 * applied in the order they arrive.
 */
export function createSocketServer(server: http.Server, deps: SocketDeps): GatewayServer {
  const io: GatewayServer = new Server(server, {
    path: '/socket.io',
    // Tokens travel in the handshake's auth payload, never in cookies: no credentials, as for REST.
    cors: { origin: deps.corsOrigins, credentials: false },
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 10000,
    pingTimeout: 10000,
    serveClient: false,
  });
  coalesceWrites(io);
  // In memory: a socket lives on one replica, so its budget needs no sharing.
  const limiter = new RateLimiterMemory({
    points: deps.subscribeLimit.points,
    duration: deps.subscribeLimit.durationSec,
  });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : undefined;
    if (!token)
      return next(
        Object.assign(new Error('UNAUTHORIZED'), {
          data: { code: 'UNAUTHORIZED', message: 'send an access token in auth.token' },
        }),
      );
    const accepting = deps.accepting?.() ?? Promise.resolve();
    accepting
      .then(() => deps.verifyAccess(token))
      .then(
        ({ userId, role, sessionId }) => {
          socket.data.userId = userId;
          socket.data.role = role;
          socket.data.sessionId = sessionId;
          next();
        },
        (err: { code?: string }) => {
          const code = err.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
          next(
            Object.assign(new Error(code), {
              data: {
                code,
                message:
                  code === 'TOKEN_EXPIRED' ? 'access token expired: refresh it' : 'invalid access token',
              },
            }),
          );
        },
      );
  });

  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data;
    deps.metrics.connected.inc();
    const stream: LocalStream = {
      socket,
      watchlists: new WatchlistView(() => {
        deps.metrics.lookups.inc();
        return deps.allowedSymbols(userId);
      }),
    };
    deps.streams.add(stream);
    const queue = new SerialQueue();
    socket.on('disconnect', () => {
      deps.metrics.connected.dec();
      deps.streams.remove(stream);
      void limiter.delete(socket.id);
      void deps.sessions.unregister(userId, socket.id);
    });
    // Verified a moment before its session ended: the end's message found no socket to close.
    if (deps.streams.hasEnded(sessionId)) {
      socket.disconnect(true);
      return;
    }
    void socket.join(userRoom(userId));
    void deps.sessions.register(userId, socket.id, (reason) => {
      socket.emit('session_replaced', { reason, at: Date.now() });
      socket.disconnect(true);
    });

    /** Counts the call against the socket's budget, then queues it; a refusal is answered at once. */
    const limited = (
      event: string,
      rawInput: unknown,
      rawAck: unknown,
      work: (input: unknown, ack: Ack) => Promise<void>,
    ) => {
      const { input, ack } = payloadAndAck<Ack>(rawInput, rawAck);
      const answer: Ack = ack ?? (() => undefined);
      limiter.consume(socket.id).then(
        () => queue.run(() => work(input, answer)),
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) {
            deps.log.error({ err: rejection, userId }, `${event} rate limit failed`);
            return queue.run(() => work(input, answer));
          }
          deps.metrics.rateLimited.inc();
          const retryAfterSec = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          answer(
            refuse(
              'RATE_LIMITED',
              `at most ${deps.subscribeLimit.points} subscribes and unsubscribes per ${deps.subscribeLimit.durationSec} s on one connection; retry in ${retryAfterSec} s`,
              retryAfterSec,
            ),
          );
        },
      );
    };

    socket.on('subscribe', (rawInput, rawAck) =>
      limited('subscribe', rawInput, rawAck, (input, ack) => subscribe(socket, stream, input, ack)),
    );
    socket.on('unsubscribe', (rawInput, rawAck) =>
      limited('unsubscribe', rawInput, rawAck, async (input, ack) => {
        const parsed = parseSymbols(input, deps.maxSymbolsPerSocket);
        if (!Array.isArray(parsed)) return ack(parsed);
        for (const s of parsed) void socket.leave(symbolRoom(s));
        ack({ ok: true, symbols: subscribedSymbols(socket.rooms) });
      }),
    );
  });

  async function subscribe(
    socket: GatewaySocket,
    stream: LocalStream,
    input: unknown,
    ack: Ack,
  ): Promise<void> {
    const parsed = parseSymbols(input, deps.maxSymbolsPerSocket);
    if (!Array.isArray(parsed)) return ack(parsed);
    const current = new Set(subscribedSymbols(socket.rooms));
    // Symbols this socket already streams need no check and get no second snapshot.
    const added = parsed.filter((s) => !current.has(s));
    if (added.length === 0) return ack({ ok: true, symbols: [...current].sort() });
    if (current.size + added.length > deps.maxSymbolsPerSocket)
      return ack(refuse('TOO_MANY_SYMBOLS', `at most ${deps.maxSymbolsPerSocket} symbols per connection`));
    let denied: string[];
    try {
      denied = await stream.watchlists.denied(added);
    } catch (err) {
      deps.log.error({ err, userId: socket.data.userId }, 'subscribe failed');
      return ack(refuse('UNAVAILABLE', 'could not check your watchlists; try again'));
    }
    if (denied.length > 0)
      return ack(refuse('NOT_IN_WATCHLIST', `add ${denied.join(', ')} to one of your watchlists first`));
    if (socket.disconnected) return;
    for (const s of added) {
      void socket.join(symbolRoom(s));
      socket.emit('snapshot', deps.store.snapshot(s));
    }
    ack({ ok: true, symbols: subscribedSymbols(socket.rooms) });
  }

  return io;
}
