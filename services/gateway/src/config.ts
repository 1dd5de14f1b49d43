import path from 'node:path';
import { DEFAULT_SIGNAL_BAND } from '@tickstream/contracts';
import { port, positiveInt, secret } from '@tickstream/platform';
import { z } from 'zod';
import { apiEnv } from './http';
import { marketEnv } from './market';
import { DEFAULT_SEND_TIMEOUT_MS } from './orders';

/** The gateway's settings (the REST API's and the market fan-out's included), for `bootService`. */
export const gatewayEnv = {
  ...apiEnv,
  ...marketEnv,
  HTTP_PORT: port(8080),
  MARKET_STREAMS_PER_USER: positiveInt(1),
  MAX_SYMBOLS_PER_SOCKET: positiveInt(100),
  // Bars per snapshot: about 270 bytes of JSON each, so the cap bounds a snapshot at ~540 KB.
  BARS_PER_SYMBOL: z.coerce.number().int().positive().max(2000).default(500),
  BAR_HISTORY_MS: positiveInt(6 * 3600 * 1000),
  RATE_SOCKET_SUBSCRIBES: positiveInt(30),
  RATE_SOCKET_WINDOW_SEC: positiveInt(10),
  FEED_READY_LAG_MS: positiveInt(1000),
  FEED_START_GRACE_MS: positiveInt(30_000),
  WEB_DIST: z.string().default(path.resolve(__dirname, '../../../web/dist')),
  /** The inference service (/predict, and its internal API for the model registry) and its bearer token. */
  INFERENCE_URL: z.string().url().default('http://127.0.0.1:9103'),
  INFERENCE_SERVICE_TOKEN: secret(),
  // Where stored Alpaca keys are checked; the paper URL is the order service's ALPACA_TRADING_URL.
  ALPACA_TRADING_URL: z.string().url().default('https://paper-api.alpaca.markets'),
  ALPACA_LIVE_TRADING_URL: z.string().url().default('https://api.alpaca.markets'),
  ML_SIGNAL_BAND: z.coerce.number().min(0).max(0.5).default(DEFAULT_SIGNAL_BAND),
  ORDER_SEND_TIMEOUT_MS: positiveInt(DEFAULT_SEND_TIMEOUT_MS),
};
