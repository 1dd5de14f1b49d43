import type { Kafka } from 'kafkajs';
import type { KafkaMessage } from 'kafkajs';

/**
 * Collects every record of a topic from the beginning for the whole test file: tests wait on
 * what arrived instead of re-reading the topic each time.
 */
export async function collect(
  kafka: Kafka,
  topic: string,
): Promise<{ messages: KafkaMessage[]; stop(): Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `collector-${topic}-${Date.now()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: KafkaMessage[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push(message);
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
