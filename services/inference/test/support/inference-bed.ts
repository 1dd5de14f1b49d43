import type { FeatureVector } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, typedProducer } from '../../../../test/support/kafka';
import { collect } from './collector';
import type { RegistryDb } from './registry-db';
import { registryDb } from './registry-db';

/** What an inference process under test runs against, with its predictions collected. */
export interface InferenceBed {
  bed: KafkaTestbed;
  reg: RegistryDb;
  producer: TypedProducer;
  predictionLog: Awaited<ReturnType<typeof collect>>;
  /** The environment of an inference process on this bed. */
  env: Record<string, string>;
  /** Publishes `vectors` as the features service would, computed now. */
  send(vectors: readonly FeatureVector[]): Promise<unknown>;
  close(): Promise<void>;
}

/** A Kafka testbed `label`, a model registry database `dbLabel`, and the predictions topic read. */
export async function inferenceBed(label: string, dbLabel: string): Promise<InferenceBed> {
  const bed = await kafkaTestbed(label);
  const reg = await registryDb(dbLabel);
  const producer = await typedProducer(bed);
  const predictionLog = await collect(bed.kafka, bed.names.of('predictions'));
  return {
    bed,
    reg,
    producer,
    predictionLog,
    env: { TOPIC_PREFIX: bed.prefix, REDIS_KEY_PREFIX: bed.prefix, DATABASE_URL: reg.url },
    send: (vectors) =>
      producer.send(
        'features',
        vectors.map((v) => ({ key: v.symbol, value: { ...v, computed_time: Date.now() } })),
      ),
    async close() {
      await predictionLog.stop();
      await producer.disconnect();
      await bed.close();
      await reg.drop();
    },
  };
}
