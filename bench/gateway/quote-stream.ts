import type { Quote } from '@tickstream/contracts';

/**
 * The i-th quote of the bench's input stream: the same values go through the gateway (via Kafka)
 * and through the bare Socket.IO baseline, so both emit the same payloads.
 */
export function benchQuote(symbol: string, i: number, now: number): Quote {
  return {
    symbol,
    event_time: now,
    ingest_time: now,
    bid_price: 100 + (i % 100) / 100,
    bid_size: 100,
    ask_price: 100.02,
    ask_size: 100,
    bid_exchange: null,
    ask_exchange: null,
    conditions: [],
    tape: null,
    source: 'sim',
  };
}
