// The market-data sources of the ingest service. They know nothing of Kafka: each hands
// Trade / Quote / Bar records to a MarketSink, and the service decides where they go.
export type {
  Bar,
  Clock,
  ErrorHook,
  MarketEvent,
  MarketSink,
  MarketSource,
  Quote,
  SourceLogger,
  SourceName,
  SourceOptions,
  SourceState,
  StateHook,
  Trade,
  Unstamped,
} from './types';
export { silentLogger } from './types';
export { validateSymbol, validateSymbols } from '@tickstream/marketdata';

export { createSimSource, runSimFullSpeed } from './sim/sim-source';
export type { FullSpeedOptions, SimSourceOptions } from './sim/sim-source';
export { createMarketSimulator } from '@tickstream/marketdata';
export type { MarketSimulator, SimulatorOptions, StepOptions, SymbolProfile } from '@tickstream/marketdata';

export { createAlpacaSource } from './alpaca/stream-source';
export type {
  AlpacaFeed,
  AlpacaSource,
  AlpacaSourceOptions,
  AlpacaSourceStats,
  BackoffOptions,
} from './alpaca/stream-source';
export type { Channel, Encoding, Subscriptions } from './alpaca/protocol';
export { ROUND_LOT } from './alpaca/protocol';
export { STREAM_ERRORS } from './alpaca/error-codes';
export type { ErrorAction, ErrorPolicy } from './alpaca/error-codes';
export { backfillBars, timeframeMs } from '@tickstream/marketdata';
export type { BackfillOptions } from '@tickstream/marketdata';

export { createReplaySource } from './replay/replay-source';
export type { ReplaySource, ReplaySourceOptions, ReplayStats } from './replay/replay-source';
export { parseBarCsv, readBarCsv } from '@tickstream/marketdata';
export type { LineInput, ParseBarCsvOptions } from '@tickstream/marketdata';
