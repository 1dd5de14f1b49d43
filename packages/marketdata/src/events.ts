export type { Bar, Quote, Trade } from '@tickstream/contracts';
import type { Bar, Quote, Trade } from '@tickstream/contracts';

export type Clock = () => number;

/** A record as produced, before the hand-off to a sink stamps `ingest_time`. */
export type Unstamped<T> = Omit<T, 'ingest_time'>;

export type MarketEvent =
  | { kind: 'trade'; record: Unstamped<Trade> }
  | { kind: 'quote'; record: Unstamped<Quote> }
  | { kind: 'bar'; record: Unstamped<Bar> };

/** Market time of an event: bars count at their close, when they become known. */
export function eventTime(e: MarketEvent): number {
  return e.kind === 'bar' ? e.record.start_time + e.record.interval_ms : e.record.event_time;
}
