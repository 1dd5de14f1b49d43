// Market data that is not tied to Kafka or a feed connection: the deterministic simulator, the
// bar CSV format shared by replay and training, symbol validation, the event types, and Alpaca's
// historical bars (ingest's backfill and training read them).
export type { Clock, MarketEvent, Unstamped } from './events';
export { eventTime } from './events';
export { validateSymbol, validateSymbols } from './symbols';
export { createMarketSimulator } from './sim/simulator';
export type { MarketSimulator, SimulatorOptions, StepOptions } from './sim/simulator';
export type { SymbolProfile } from './sim/profiles';
export { barCsvRowParser, parseBarCsv, readBarCsv, readLines } from './csv/csv';
export type { BadRowHook, LineInput, ParseBarCsvOptions } from './csv/csv';
export { checkBar, parseNdjsonRecord, parseTime } from './csv/rows';
export type { RowResult } from './csv/rows';
export { backfillBars, timeframeMs } from './alpaca/backfill';
export type { AlpacaRestBar, BackfillLogger, BackfillOptions } from './alpaca/backfill';
