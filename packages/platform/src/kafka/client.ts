import type { KafkaConfig, logCreator } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../logger';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      child[LEVELS[level] ?? 'info'](extra, message);
    };
}

/**
 * The one KafkaJS client factory: brokers and client id from config, KafkaJS logs through pino.
 * `connectionTimeout`, `requestTimeout` and `retry` bound how long a call may take while a broker
 * is away (KafkaJS's own defaults wait 30 s per request); a caller with a deadline sizes them to it.
 *
 * @example
 *   const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'ingest' }, log);
 */
export function createKafka(
  opts: {
    brokers: string[];
    clientId: string;
    connectionTimeout?: number;
    requestTimeout?: number;
    retry?: KafkaConfig['retry'];
  },
  logger: Logger,
): Kafka {
  // The partitioner warning is about upgrades from KafkaJS 1.x; this project started on 2.x.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeout ?? 3000,
    ...(opts.requestTimeout !== undefined ? { requestTimeout: opts.requestTimeout } : {}),
    retry: opts.retry ?? { initialRetryTime: 200, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
  });
}
