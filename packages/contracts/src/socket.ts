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
}

export type SubscribeAck = { ok: true; symbols: string[] } | { ok: false; error: SocketError };

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
}

export interface ClientToServerEvents {
  subscribe: (symbols: string[], ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (symbols: string[], ack: (result: SubscribeAck) => void) => void;
}

/** Per-socket data the gateway keeps after the handshake. */
export interface SocketData {
  userId: string;
  role: string;
}
