export { AlpacaBroker } from './broker';
export type { AlpacaBrokerOptions } from './broker';
export { AlpacaTradingClient, AlpacaError, toAlpacaOrder } from './client';
export type { AlpacaKeys, AlpacaOrder } from './client';
export { TradeUpdatesStream } from './stream';
export type { TradeUpdate } from './stream';
