import { positiveInt } from '@tickstream/platform';
import { z } from 'zod';
import type { BroadcastOptions } from './broadcaster';

/** Settings of the market fan-out, to spread into the gateway's `bootService` shape. */
export const marketEnv = {
  /** Quotes and trades: at most one per symbol per this many ms (the first after a quiet one at once). */
  MARKET_UPDATE_INTERVAL: positiveInt(250),
  /** Packets queued on one socket before it skips quotes and trades until they are written. */
  SLOW_CLIENT_MAX_PACKETS: positiveInt(200),
  /** Share of quote and trade sends (each a batch of room emits) traced; 1 traces every one. */
  MARKET_TRACE_RATIO: z.coerce.number().min(0).max(1).default(0.01),
  /**
   * The market feed's fetches wait on the broker for this many bytes or MARKET_FETCH_MAX_WAIT_MS,
   * whichever comes first. 1 answers each fetch with whatever has arrived: lowest latency, but at
   * thousands of records a second each fetch carries a few, and a third of the gateway's CPU is
   * the fetch itself (docs/BENCHMARKS.md, session 8).
   */
  MARKET_FETCH_MIN_BYTES: positiveInt(1),
  MARKET_FETCH_MAX_WAIT_MS: positiveInt(100),
};

type MarketConfig = { [K in keyof typeof marketEnv]: z.output<(typeof marketEnv)[K]> };

/** How the market feed's consumer fetches (see MARKET_FETCH_MIN_BYTES). */
export function fetchOptions(config: MarketConfig): { minBytes: number; maxWaitTimeInMs: number } {
  return { minBytes: config.MARKET_FETCH_MIN_BYTES, maxWaitTimeInMs: config.MARKET_FETCH_MAX_WAIT_MS };
}

export function broadcastOptions(config: MarketConfig): BroadcastOptions {
  return {
    intervalMs: config.MARKET_UPDATE_INTERVAL,
    maxBufferedPackets: config.SLOW_CLIENT_MAX_PACKETS,
    traceRatio: config.MARKET_TRACE_RATIO,
  };
}
