import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Paths never written to a log, whatever a caller passes in. */
const REDACT = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'apiSecret',
  '*.apiSecret',
  'api_secret',
  '*.api_secret',
  'key',
  '*.key_id',
  'token',
  '*.token',
  'accessToken',
  'refreshToken',
  '*.accessToken',
  '*.refreshToken',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * The one logger factory: JSON lines on stdout, secrets redacted.
 *
 * @example
 *   const log = createLogger({ service: 'ingest', level: config.LOG_LEVEL });
 */
export function createLogger(opts: { service: string; level?: string }): Logger {
  return pino({
    name: opts.service,
    level: opts.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
