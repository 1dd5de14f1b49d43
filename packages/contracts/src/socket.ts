import type { Bar, FeatureVector, OrderEvent, Prediction, Quote, Trade } from './generated/avro';

/** What a client gets first when it subscribes to a symbol: enough to draw the chart at once. */
export interface SymbolSnapshot {
  symbol: string;
  /** Most recent closed bars, oldest first. */
  bars: Bar[];
  quote: Quote | null;
  trade: Trade | null;
  features: FeatureVector | null;
  prediction: Prediction | null;
}

export interface SocketError {
  code: string;
  message: string;
  /** With `RATE_LIMITED`: seconds until the socket may subscribe or unsubscribe again. */
  retryAfterSec?: number;
}

export type SubscribeAck = { ok: true; symbols: string[] } | { ok: false; error: SocketError };

/**
 * Why the gateway stopped streams the client had subscribed: a watchlist change removed the
 * symbols from all of the user's watchlists (`removed_from_watchlist`, `watchlist_deleted`), or
 * the session ended (`logout`, `session_revoked`: a reused refresh token) and the connection
 * closes right after.
 */
export type StreamStopReason = 'removed_from_watchlist' | 'watchlist_deleted' | 'logout' | 'session_revoked';

export interface UnsubscribedInfo {
  /** The symbols no longer streamed on this connection, sorted. */
  symbols: string[];
  reason: StreamStopReason;
}

/** Events the gateway sends. Market events are conflated: the latest per symbol per interval. */
export interface ServerToClientEvents {
  snapshot: (snapshot: SymbolSnapshot) => void;
  quote: (quote: Quote) => void;
  trade: (trade: Trade) => void;
  bar: (bar: Bar) => void;
  features: (features: FeatureVector) => void;
  prediction: (prediction: Prediction) => void;
  /** Only ever the connected user's own orders. */
  order_event: (event: OrderEvent) => void;
  /** This connection was closed because the same user opened a newer market stream. */
  session_replaced: (info: { reason: string; at: number }) => void;
  /** The gateway stopped these symbols' streams itself; they are no longer subscribed. */
  unsubscribed: (info: UnsubscribedInfo) => void;
}

export interface ClientToServerEvents {
  subscribe: (symbols: string[], ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (symbols: string[], ack: (result: SubscribeAck) => void) => void;
}

/** Per-socket data the gateway keeps after the handshake. */
export interface SocketData {
  userId: string;
  role: string;
  /** The session (refresh-token family) the access token belongs to; logging it out closes the socket. */
  sessionId: string;
}
