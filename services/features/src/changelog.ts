import type { Admin, Consumer, Kafka, Message } from 'kafkajs';
import type { Logger } from '@tickstream/platform';

/**
 * The features service's state changelog (compacted features.state.v1, key = symbol, value = the
 * engine's state, binary or JSON: see EngineStateEncoding). Every instance reads it in full in
 * the background; `catchUp()` waits until everything written before the call has been read, so
 * after a restart or a rebalance an engine resumes from exactly the state its previous owner
 * committed.
 */
export class StateChangelog {
  /**
   * Per symbol, the last state as read or as written by this instance, in its bytes: decoded
   * only when an engine is restored from it. The reader sees every state this instance writes,
   * one per symbol and bar: decoding each into objects that are never used cost CPU and filled
   * the old generation, whose collections paused the service for up to 130 ms under load.
   */
  private readonly latest = new Map<string, Buffer>();
  private readonly consumed = new Map<number, bigint>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly deps: { kafka: Kafka; admin: Admin; topic: string; instanceId: string; log: Logger },
  ) {}

  async start(): Promise<void> {
    this.consumer = this.deps.kafka.consumer({
      groupId: `${this.deps.topic}.reader.${this.deps.instanceId}`,
      maxWaitTimeInMs: 50,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.deps.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const symbol = message.key?.toString();
        if (symbol) {
          // A copy: KafkaJS's value is a view of the whole fetch response, which it would pin.
          if (message.value) this.latest.set(symbol, Buffer.from(message.value));
          else this.latest.delete(symbol);
        }
        this.consumed.set(partition, BigInt(message.offset) + 1n);
      },
    });
    await this.catchUp();
  }

  async catchUp(timeoutMs = 30000): Promise<void> {
    const ends = await this.deps.admin.fetchTopicOffsets(this.deps.topic);
    const deadline = Date.now() + timeoutMs;
    while (ends.some((e) => BigInt(e.high) > (this.consumed.get(e.partition) ?? BigInt(e.low)))) {
      if (Date.now() > deadline)
        throw new Error(`state changelog ${this.deps.topic} did not catch up in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get(symbol: string): Buffer | undefined {
    return this.latest.get(symbol);
  }

  get topic(): string {
    return this.deps.topic;
  }

  /** The changelog records for these states, to send after the batch's other output. */
  messages(states: Map<string, Buffer>): Message[] {
    return [...states].map(([symbol, value]) => ({ key: symbol, value }));
  }

  /** Records states this instance has written (acknowledged by the broker). */
  remember(states: Map<string, Buffer>): void {
    for (const [symbol, s] of states) this.latest.set(symbol, s);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
