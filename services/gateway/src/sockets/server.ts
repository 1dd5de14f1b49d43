import type http from 'node:http';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
  SubscribeAck,
} from '@tickstream/contracts';
import type { Logger, prom } from '@tickstream/platform';
import { Server } from 'socket.io';
import type { SnapshotStore } from '../market/snapshots';
import type { SessionRegistry } from './sessions';

export type GatewayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export const symbolRoom = (symbol: string) => `sym:${symbol}`;
export const userRoom = (userId: string) => `user:${userId}`;

const SYMBOL = /^[A-Z][A-Z0-9.]{0,9}$/;

export interface SocketDeps {
  verifyAccess(token: string): Promise<{ userId: string; role: string }>;
  /** Symbols the user may stream: those of their own watchlists. */
  allowedSymbols(userId: string): Promise<Set<string>>;
  store: SnapshotStore;
  sessions: SessionRegistry;
  log: Logger;
  corsOrigins: string[];
  maxSymbolsPerSocket: number;
  connected: prom.Gauge;
}

function refuse(code: string, message: string): SubscribeAck {
  return { ok: false, error: { code, message } };
}

function parseSymbols(input: unknown, max: number): string[] | SubscribeAck {
  if (!Array.isArray(input) || input.length === 0 || input.length > max) {
    return refuse('INVALID_SYMBOLS', `send an array of 1 to ${max} ticker symbols`);
  }
  const symbols = input.map((s) => (typeof s === 'string' ? s.trim().toUpperCase() : ''));
  const bad = symbols.filter((s) => !SYMBOL.test(s));
  if (bad.length > 0)
    return refuse(
      'INVALID_SYMBOLS',
      `not ticker symbols: ${bad
        .slice(0, 5)
        .map((s) => JSON.stringify(s))
        .join(', ')}`,
    );
  return [...new Set(symbols)];
}

/**
 * Socket.IO on the gateway's HTTP server. The access token is checked in the handshake; each
 * socket joins its user's room (order events) and the rooms of the symbols it subscribes to,
 * which must be on the user's own watchlists. A subscribe answers with a snapshot per symbol.
 */
export function createSocketServer(server: http.Server, deps: SocketDeps): GatewayServer {
  const io: GatewayServer = new Server(server, {
    path: '/socket.io',
    cors: { origin: deps.corsOrigins, credentials: true },
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 10000,
    pingTimeout: 10000,
    serveClient: false,
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
    deps.verifyAccess(token).then(
      ({ userId, role }) => {
        socket.data.userId = userId;
        socket.data.role = role;
        next();
      },
      (err: { code?: string }) => {
        const code = err.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
        next(
          Object.assign(new Error(code), {
            data: {
              code,
              message: code === 'TOKEN_EXPIRED' ? 'access token expired: refresh it' : 'invalid access token',
            },
          }),
        );
      },
    );
  });

  io.on('connection', (socket) => {
    const { userId } = socket.data;
    deps.connected.inc();
    void socket.join(userRoom(userId));
    void deps.sessions.register(userId, socket.id, (reason) => {
      socket.emit('session_replaced', { reason, at: Date.now() });
      socket.disconnect(true);
    });

    socket.on('subscribe', (input, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = parseSymbols(input, deps.maxSymbolsPerSocket);
      if (!Array.isArray(parsed)) return ack(parsed);
      deps.allowedSymbols(userId).then(
        (allowed) => {
          const denied = parsed.filter((s) => !allowed.has(s));
          if (denied.length > 0)
            return ack(
              refuse('NOT_IN_WATCHLIST', `add ${denied.join(', ')} to one of your watchlists first`),
            );
          const current = [...socket.rooms].filter((r) => r.startsWith('sym:'));
          if (new Set([...current, ...parsed.map(symbolRoom)]).size > deps.maxSymbolsPerSocket) {
            return ack(
              refuse('TOO_MANY_SYMBOLS', `at most ${deps.maxSymbolsPerSocket} symbols per connection`),
            );
          }
          for (const s of parsed) {
            void socket.join(symbolRoom(s));
            socket.emit('snapshot', deps.store.snapshot(s));
          }
          ack({ ok: true, symbols: subscribed(socket.rooms) });
        },
        (err: unknown) => {
          deps.log.error({ err, userId }, 'subscribe failed');
          ack(refuse('UNAVAILABLE', 'could not check your watchlists; try again'));
        },
      );
    });

    socket.on('unsubscribe', (input, ack) => {
      const parsed = parseSymbols(input, deps.maxSymbolsPerSocket);
      if (Array.isArray(parsed)) for (const s of parsed) void socket.leave(symbolRoom(s));
      if (typeof ack === 'function')
        ack(Array.isArray(parsed) ? { ok: true, symbols: subscribed(socket.rooms) } : parsed);
    });

    socket.on('disconnect', () => {
      deps.connected.dec();
      void deps.sessions.unregister(userId, socket.id);
    });
  });
  return io;
}

function subscribed(rooms: Set<string>): string[] {
  return [...rooms]
    .filter((r) => r.startsWith('sym:'))
    .map((r) => r.slice(4))
    .sort();
}
