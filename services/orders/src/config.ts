import { masterKey, port, positiveInt, secret } from '@tickstream/platform';
import { z } from 'zod';

/** The order service's own settings, spread into `bootService`'s shape. */
export const ordersEnv = {
  HEALTH_PORT: port(9105),
  BROKER_KEYS_MASTER_KEY: masterKey(),
  /** Bearer token the gateway must present to the internal API (at least 32 bytes, never logged). */
  ORDERS_SERVICE_TOKEN: secret(),
  ALPACA_TRADING_URL: z.string().url().default('https://paper-api.alpaca.markets'),
  ALPACA_TRADING_STREAM_URL: z.string().url().default('wss://paper-api.alpaca.markets/stream'),
  /** How far back quotes are read at start, to price orders before the next quote arrives. */
  QUOTE_WARMUP_MS: positiveInt(60_000),
  /** Period of the kill-switch sweep, DAY-order expiry and mark writes. */
  CONTROLS_INTERVAL_MS: positiveInt(1000),
  /** How long published outbox rows are kept (order_events keeps the history); checked every 10 min. */
  OUTBOX_RETENTION_HOURS: positiveInt(24),
  /** Command partitions handled at once; the database pool is sized from it. */
  COMMAND_CONCURRENCY: positiveInt(4),
  /**
   * Fault injection for the crash test: `after-commit` SIGKILLs the process right after the first
   * accepted order's transaction commits, before its events are published.
   */
  ORDERS_FAULT_POINT: z.enum(['none', 'after-commit']).default('none'),
};
