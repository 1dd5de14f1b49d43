import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { tracedSend } from '../telemetry/kafka';
import type { AvroCodec } from './codec';
import type { KafkaInstruments } from './instruments';
import { kafkaInstruments } from './instruments';
import type { AvroTopicId, TopicNames, ValueOf } from './topics';

export interface OutRecord<T extends AvroTopicId> {
  key: string;
  value: ValueOf<T>;
  headers?: IHeaders;
  timestamp?: number;
}

/**
 * Avro producer on one idempotent KafkaJS producer (acks=all, one request in flight so a retry
 * cannot reorder a partition). `send` resolves once the broker has acknowledged the records.
 *
 * @example
 *   const out = new TypedProducer(kafka, codec, names);
 *   await out.connect();
 *   await out.send('bars', [{ key: bar.symbol, value: bar }]);
 */
export class TypedProducer {
  readonly producer: Producer;
  private readonly instruments: KafkaInstruments | undefined;

  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly names: TopicNames,
    opts: { transactionalId?: string } = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      ...(opts.transactionalId ? { transactionalId: opts.transactionalId } : {}),
    });
    this.instruments = kafkaInstruments(kafka);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async encode<T extends AvroTopicId>(id: T, records: readonly OutRecord<T>[]): Promise<Message[]> {
    if (records.length === 0) return [];
    await this.codec.registerAll([id]);
    return records.map((r) => ({
      key: r.key,
      value: this.codec.encodeSync(id, r.value),
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}),
    }));
  }

  async send<T extends AvroTopicId>(id: T, records: readonly OutRecord<T>[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({
      topic: this.names.of(id),
      acks: -1,
      compression: CompressionTypes.None,
      messages: await this.encode(id, records),
    });
  }

  /**
   * Sends to several topics in one request (one round trip for a whole micro-batch). A batch
   * names a catalogue topic by `id` or a raw topic (already prefixed) by `topic`.
   */
  async sendBatch(batches: ({ id: AvroTopicId; messages: Message[] } | { topic: string; messages: Message[] })[]): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.messages.length > 0)
      .map((b) => ({ topic: 'id' in b ? this.names.of(b.id) : b.topic, messages: b.messages }));
    if (topicMessages.length === 0) return;
    await this.producer.sendBatch({ acks: -1, topicMessages });
  }
}
