import type { AvroCodec, KafkaConnection, Logger, TopicNames, prom } from '@tickstream/platform';
import { TypedProducer, bindKafkaMetrics, createKafka } from '@tickstream/platform';
import type { PublishCommand } from './place';

/**
 * KafkaJS settings of the order-command client, sized to the answer deadline: a request waits at
 * most the deadline, and the client's own retries end within a few deadlines, so a send the
 * gateway gave up on (answered 503) does not go on retrying for a minute (KafkaJS's defaults:
 * 30 s per request; the platform client's 8 retries back off to ~50 s).
 */
export function commandClientSettings(sendTimeoutMs: number): {
  connectionTimeout: number;
  requestTimeout: number;
  retry: { retries: number; initialRetryTime: number; maxRetryTime: number };
} {
  const third = Math.max(100, Math.floor(sendTimeoutMs / 3));
  return {
    connectionTimeout: Math.min(1000, third),
    requestTimeout: sendTimeoutMs,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: third },
  };
}

export interface CommandPublisher {
  publish: PublishCommand;
  disconnect(): Promise<void>;
}

/**
 * The producer of orders.commands.v1: its own Kafka client (timeouts above) and a plain, not
 * idempotent producer, acks=all. Why not idempotent: idempotent sends go one at a time (see
 * createReliableProducer), so a send still running after its 503 would hold up every order behind
 * it; a command written twice is harmless, the order service dedupes by order id and client order id.
 *
 * @example
 *   const commands = await createCommandPublisher({ connection, clientId, codec, names, log, sendTimeoutMs: 3000 });
 *   await commands.publish(cmd);
 */
export async function createCommandPublisher(opts: {
  /** The gateway's brokers and login (kafkaConnection(config)). */
  connection: KafkaConnection;
  clientId: string;
  codec: AvroCodec;
  names: TopicNames;
  log: Logger;
  sendTimeoutMs: number;
  metrics?: prom.Registry;
}): Promise<CommandPublisher> {
  const kafka = createKafka(
    {
      ...opts.connection,
      clientId: `${opts.clientId}-commands`,
      ...commandClientSettings(opts.sendTimeoutMs),
    },
    opts.log,
  );
  if (opts.metrics) bindKafkaMetrics(kafka, opts.metrics);
  const producer = new TypedProducer(kafka, opts.codec, opts.names, { idempotent: false });
  await producer.connect();
  return {
    publish: (cmd) => producer.send('orderCommands', [{ key: cmd.account_id, value: cmd }]),
    disconnect: () => producer.disconnect(),
  };
}
