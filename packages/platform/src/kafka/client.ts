import fs from 'node:fs';
import type { KafkaConfig, SASLOptions, logCreator } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';
import { fixRequestQueueTimers } from './request-queue';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// KafkaJS logs every failed response at error level, also those it retries by itself while a
// partition's leadership or a group's coordinator moves (provisioning new topics, a broker
// restarting): routine in a cluster's life, so a warning, not an alert.
const MOVING_LEADERSHIP =
  /not the leader for that topic-partition|no leader for this topic-partition|does not host this topic-partition|not the correct coordinator|coordinator is (loading|not available)/i;

/** KafkaJS's log entries into the service's logger, at KafkaJS's level but for moving leaders. */
export function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const retried =
        level === logLevel.ERROR &&
        message.startsWith('Response ') &&
        typeof extra.error === 'string' &&
        MOVING_LEADERSHIP.test(extra.error);
      child[retried ? 'warn' : (LEVELS[level] ?? 'info')](extra, message);
    };
}

/** Where and as whom a client connects: spread into createKafka's options. */
export interface KafkaConnection {
  brokers: string[];
  sasl?: SASLOptions;
  ssl?: KafkaConfig['ssl'];
}

/** The auth settings of the config (kafkaAuthEnv), as validated by loadConfig. */
export interface KafkaAuthSettings {
  KAFKA_BROKERS: string[];
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
}

/**
 * The connection a config describes: SCRAM-SHA-512 when a username is set, TLS when KAFKA_SSL.
 *
 * @example
 *   const kafka = createKafka({ ...kafkaConnection(config), clientId: 'backfill' }, log);
 */
export function kafkaConnection(config: KafkaAuthSettings): KafkaConnection {
  const conn: KafkaConnection = { brokers: config.KAFKA_BROKERS };
  if (config.KAFKA_SASL_USERNAME !== undefined && config.KAFKA_SASL_PASSWORD !== undefined)
    conn.sasl = {
      mechanism: 'scram-sha-512',
      username: config.KAFKA_SASL_USERNAME,
      password: config.KAFKA_SASL_PASSWORD,
    };
  if (config.KAFKA_SSL)
    conn.ssl = config.KAFKA_SSL_CA_FILE ? { ca: [fs.readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true;
  return conn;
}

/**
 * Turns a refused login into a ConfigError naming the settings to fix (KafkaJS says only
 * "authentication failed"); other errors pass through unchanged.
 *
 * @example
 *   await admin.connect().catch((err) => { throw explainKafkaAuthError(err, config); });
 */
export function explainKafkaAuthError(err: unknown, config: Omit<KafkaAuthSettings, 'KAFKA_SSL'>): unknown {
  const e = err as { name?: string; message?: string };
  const brokers = config.KAFKA_BROKERS.join(',');
  if (e.name === 'KafkaJSSASLAuthenticationError')
    return new ConfigError(
      `Kafka (${brokers}) refused the login of KAFKA_SASL_USERNAME=${config.KAFKA_SASL_USERNAME ?? '(unset)'}: ` +
        `check KAFKA_SASL_PASSWORD (${e.message ?? ''})`,
    );
  if (config.KAFKA_SASL_USERNAME === undefined && /closed connection|connection error/i.test(e.message ?? ''))
    return new ConfigError(
      `Kafka (${brokers}) closed the connection: KAFKA_SASL_USERNAME is unset, and a broker that ` +
        `requires authentication does that to a client without credentials (${e.message ?? ''})`,
    );
  return err;
}

/**
 * The one KafkaJS client factory: brokers and client id from config, KafkaJS logs through pino.
 * `connectionTimeout`, `requestTimeout` and `retry` bound how long a call may take while a broker
 * is away (KafkaJS's own defaults wait 30 s per request); a caller with a deadline sizes them to it.
 *
 * @example
 *   const kafka = createKafka({ ...kafkaConnection(config), clientId: 'ingest' }, log);
 */
export function createKafka(
  opts: KafkaConnection & {
    clientId: string;
    connectionTimeout?: number;
    requestTimeout?: number;
    retry?: KafkaConfig['retry'];
  },
  logger: Logger,
): Kafka {
  // The partitioner warning is about upgrades from KafkaJS 1.x; this project started on 2.x.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  fixRequestQueueTimers();
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    ...(opts.sasl ? { sasl: opts.sasl } : {}),
    ...(opts.ssl ? { ssl: opts.ssl } : {}),
    connectionTimeout: opts.connectionTimeout ?? 3000,
    ...(opts.requestTimeout !== undefined ? { requestTimeout: opts.requestTimeout } : {}),
    retry: opts.retry ?? { initialRetryTime: 200, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}
