import { masterKey, port, positiveInt } from '@tickstream/platform';
import { z } from 'zod';

/** The order service's own settings, spread into `bootService`'s shape. */
export const ordersEnv = {
  HEALTH_PORT: port(9105),
  BROKER_KEYS_MASTER_KEY: masterKey(),
  ALPACA_TRADING_URL: z.string().url().default('https://paper-api.alpaca.markets'),
  ALPACA_TRADING_STREAM_URL: z.string().url().default('wss://paper-api.alpaca.markets/stream'),
  /** How far back quotes are read at start, to price orders before the next quote arrives. */
  QUOTE_WARMUP_MS: positiveInt(60_000),
  /** Period of the kill-switch sweep, DAY-order expiry and mark writes. */
  CONTROLS_INTERVAL_MS: positiveInt(1000),
  /** Command partitions handled at once; the database pool is sized from it. */
  COMMAND_CONCURRENCY: positiveInt(4),
  /**
   * Fault injection for the crash test: `after-commit` SIGKILLs the process right after the first
   * accepted order's transaction commits, before its events are published.
   */
  ORDERS_FAULT_POINT: z.enum(['none', 'after-commit']).default('none'),
};
