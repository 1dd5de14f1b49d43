export type * from './generated/avro';
export { TickstreamError } from './errors';
export { FEATURE_NAMES, FEATURE_SET_VERSION } from './features';
export type { FeatureName } from './features';
export type {
  SymbolSnapshot,
  SocketError,
  SubscribeAck,
  ServerToClientEvents,
  ClientToServerEvents,
  SocketData,
  StreamStopReason,
  UnsubscribedInfo,
} from './socket';
export { DEFAULT_RISK_LIMITS, GLOBAL_CONTROLS_ID } from './risk';
export type { RiskLimits } from './risk';
export { DEFAULT_SIGNAL_BAND } from './api';
export * from './rest';
export { ORDER_TERM_KEYS, modelRecordSchema, orderTermsSchema, placedOrderSchema } from './internal';
export type { ModelRecord, OrderTerms, PlacedOrder } from './internal';
export { Backoff, backoffDelay } from './backoff';
export type { BackoffPolicy } from './backoff';
export { SYMBOL_PATTERN, isValidSymbol } from './symbols';
export { QTY_DECIMALS, decimalPlaces } from './decimals';
export { mulberry32 } from './random';
