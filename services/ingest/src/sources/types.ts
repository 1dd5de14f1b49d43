import type { Bar, Quote, Trade } from '@tickstream/contracts';
import type { Clock, MarketEvent } from '@tickstream/marketdata';

export type { Bar, Quote, Trade };

/** Value of the `source` field of every record a source hands over. */
export type SourceName = 'sim' | 'alpaca' | 'replay';

/**
 * Where sources hand their records. Calls are synchronous and must not throw: the ingest service
 * buffers and publishes on its own schedule, so a source never waits for Kafka.
 */
export interface MarketSink {
  trade(t: Trade): void;
  quote(q: Quote): void;
  bar(b: Bar): void;
}

/**
 * idle -> starting -> running -> stopping -> stopped. `reconnecting` is a detour of a running
 * network source; `failed` is terminal (bad credentials, plan does not allow the feed).
 */
export type SourceState =
  'idle' | 'starting' | 'running' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

export interface MarketSource {
  readonly name: SourceName;
  readonly state: SourceState;
  /** Resolves once records flow (for alpaca: authenticated); rejects if the source fails first. */
  start(): Promise<void>;
  /** Safe to call twice and concurrently. */
  stop(): Promise<void>;
  /** Replaces the whole symbol set; symbols must already be valid (see validateSymbol). */
  setSymbols(symbols: readonly string[]): Promise<void>;
}

/** The subset of pino's API the sources use; a pino logger satisfies it. */
export interface SourceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Metrics hook. `code` is Alpaca's numeric error code for server errors, or a stable string for
 * what the source itself rejected: 'malformed_frame', 'unknown_message', 'invalid_record',
 * 'bad_row', 'http_<status>'.
 */
export type ErrorHook = (code: number | string, message: string) => void;

export type StateHook = (state: SourceState, detail?: string) => void;

/** What the network and replay sources share: where records go, and the hooks they report to. */
export interface SourceOptions {
  sink: MarketSink;
  clock?: Clock;
  logger?: SourceLogger;
  onError?: ErrorHook;
  onStateChange?: StateHook;
}

export type { Clock, MarketEvent, Unstamped } from '@tickstream/marketdata';

export const silentLogger: SourceLogger = { info: () => {}, warn: () => {}, error: () => {} };

export { eventTime } from '@tickstream/marketdata';

export function deliver(sink: MarketSink, e: MarketEvent, now: number): void {
  switch (e.kind) {
    case 'trade':
      sink.trade({ ...e.record, ingest_time: now });
      return;
    case 'quote':
      sink.quote({ ...e.record, ingest_time: now });
      return;
    case 'bar':
      sink.bar({ ...e.record, ingest_time: now });
      return;
  }
}
