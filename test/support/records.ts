import type { Bar, Quote } from '@tickstream/contracts';

/** A quote of `symbol` stamped now; `bid` tells test quotes apart. */
export const quote = (symbol: string, bid: number): Quote => ({
  symbol,
  event_time: Date.now(),
  ingest_time: Date.now(),
  bid_price: bid,
  bid_size: 100,
  ask_price: bid + 0.02,
  ask_size: 200,
  bid_exchange: null,
  ask_exchange: null,
  conditions: [],
  tape: null,
  source: 'sim',
});

/** The `i`-th of a run of one-minute bars of `symbol` ending now. */
export const bar = (symbol: string, i: number, count: number): Bar => {
  const start = Math.floor(Date.now() / 60_000) * 60_000 - (count - i) * 60_000;
  const open = 100 + Math.sin(i / 10) * 5;
  return {
    symbol,
    start_time: start,
    interval_ms: 60_000,
    open,
    high: open + 1.25,
    low: open - 1.25,
    close: open + 0.5,
    volume: 12_345 + i,
    trade_count: 321,
    vwap: open + 0.1,
    is_update: false,
    ingest_time: Date.now(),
    source: 'sim',
  };
};
