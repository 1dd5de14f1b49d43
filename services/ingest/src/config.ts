import { DEFAULT_SYMBOLS, commaList, positiveInt, port, symbolList, url } from '@tickstream/platform';
import { z } from 'zod';

/** The ingest service's own settings (on top of the platform's common ones). */
export const ingestEnv = {
  HEALTH_PORT: port(9101),
  INGEST_SOURCE: z.enum(['sim', 'alpaca', 'replay']).default('sim'),
  DEFAULT_SYMBOLS: symbolList(DEFAULT_SYMBOLS),
  /**
   * Extra wait to fill a batch when nothing is in flight. 0: a record goes at once, and records
   * arriving while a request is out go together in the next one (batches grow with the rate).
   */
  INGEST_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(0),
  INGEST_MAX_BATCH: positiveInt(5000),
  /**
   * Producers, each with one request in flight and its own share of the partitions (order per
   * partition is kept). One by default: a produce request costs 300-1,000 µs of CPU whatever its
   * size, so three lanes split a stream into three times the requests; one lane held 20,000
   * records/s with lower latency (docs/BENCHMARKS.md, session 8). More keep a slow broker busy.
   */
  INGEST_PRODUCERS: z.coerce.number().int().min(1).max(12).default(1),
  INGEST_MAX_BUFFERED: positiveInt(200_000),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_BAR_INTERVAL_MS: positiveInt(60_000),
  /** Simulated seconds per wall-clock second. */
  SIM_SPEED: z.coerce.number().positive().default(1),
  SIM_HISTORY_BARS: z.coerce.number().int().min(0).max(10_000).default(500),
  ALPACA_KEY_ID: z.string().optional(),
  ALPACA_SECRET_KEY: z.string().optional(),
  ALPACA_FEED: z.enum(['iex', 'sip', 'delayed_sip', 'test']).default('iex'),
  ALPACA_STREAM_URL: url('wss://stream.data.alpaca.markets/v2'),
  ALPACA_DATA_URL: url('https://data.alpaca.markets'),
  ALPACA_FRAMING: z.enum(['json', 'msgpack']).default('msgpack'),
  REPLAY_FILES: commaList(),
  /** `max` = as fast as Kafka takes them; 1 = real time; N = N times faster. */
  REPLAY_SPEED: z.union([z.literal('max'), z.string().regex(/^\d+(\.\d+)?$/)]).default('max'),
  /** Bar length of CSV rows (they do not carry it). */
  REPLAY_INTERVAL_MS: positiveInt(60_000),
};
