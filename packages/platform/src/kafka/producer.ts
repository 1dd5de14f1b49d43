import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { tracedSend } from '../telemetry/kafka';
import type { AvroCodec } from './codec';
import { createReliableProducer } from './reliable-producer';
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
 * `idempotent: false` is for records whose consumer dedupes them itself (order commands carry
 * their order id), sent by a caller that stops waiting at a deadline: idempotent sends go one at a
 * time (see createReliableProducer), so one that hangs holds up the next; plain sends do not, and
 * at worst write a record twice, which such a consumer absorbs.
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
    opts: { transactionalId?: string; idempotent?: boolean } = {},
  ) {
    this.producer = createReliableProducer(kafka, {
      ...(opts.transactionalId ? { transactionalId: opts.transactionalId } : {}),
      ...(opts.idempotent === false ? { idempotent: false } : {}),
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
    const topic = this.names.of(id);
    const messages = await this.encode(id, records);
    await this.deliver([{ topic, messages }], () =>
      this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages }),
    );
  }

  /**
   * Sends to several topics in one request (one round trip for a whole micro-batch). A batch
   * names a catalogue topic by `id` or a raw topic (already prefixed) by `topic`.
   */
  async sendBatch(
    batches: ({ id: AvroTopicId; messages: Message[] } | { topic: string; messages: Message[] })[],
  ): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.messages.length > 0)
      .map((b) => ({ topic: 'id' in b ? this.names.of(b.id) : b.topic, messages: b.messages }));
    if (topicMessages.length === 0) return;
    await this.deliver(topicMessages, () => this.producer.sendBatch({ acks: -1, topicMessages }));
  }

  /** One PRODUCER span per request (its context in every record's headers), and the produce metrics. */
  private async deliver(
    topicMessages: { topic: string; messages: Message[] }[],
    send: () => Promise<unknown>,
  ): Promise<void> {
    const m = this.instruments;
    const t0 = process.hrtime.bigint();
    try {
      await tracedSend(
        topicMessages.map((t) => t.topic),
        topicMessages.flatMap((t) => t.messages),
        send,
      );
    } catch (err) {
      for (const t of topicMessages) m?.produceErrors.inc({ topic: t.topic });
      throw err;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    for (const t of topicMessages) {
      m?.produced.inc({ topic: t.topic }, t.messages.length);
      m?.produceSeconds.observe({ topic: t.topic }, seconds);
    }
  }
}
