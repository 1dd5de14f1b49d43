// `npm run provision`: creates the database (each service migrates its own tables in it at
// start, docs/ARCHITECTURE.md "Who owns which table"), creates or updates every topic of
// the catalogue, grants each Kafka user its ACLs (kafka/acls.ts) when it logs in to Kafka (as the
// admin super user), and registers every schema. Idempotent; `npm run up` and the tests run it.
import { commonEnv, loadConfig } from '../config';
import { ensureDatabase } from '../db';
import { AvroCodec } from '../kafka/codec';
import { createKafka, explainKafkaAuthError, kafkaConnection } from '../kafka/client';
import { provisionAcls } from '../kafka/acls';
import { provisionTopics } from '../kafka/provision';
import { TopicNames } from '../kafka/topics';
import { runMain } from '../lifecycle';
import { createLogger } from '../logger';

runMain('provision', async () => {
  const config = loadConfig(commonEnv);
  const log = createLogger({ service: 'provision', level: config.LOG_LEVEL });
  await ensureDatabase(config.DATABASE_URL);
  const kafka = createKafka({ ...kafkaConnection(config), clientId: 'provision' }, log);
  const admin = kafka.admin();
  await admin.connect().catch((err: unknown) => {
    throw explainKafkaAuthError(err, config);
  });
  const report = await provisionTopics(admin, {
    prefix: config.TOPIC_PREFIX,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  // A broker without authentication has no authorizer to take ACLs.
  const acls =
    config.KAFKA_SASL_USERNAME === undefined
      ? 0
      : await provisionAcls(admin, { prefix: config.TOPIC_PREFIX });
  await admin.disconnect();
  const codec = new AvroCodec({
    registryUrl: config.SCHEMA_REGISTRY_URL,
    topics: new TopicNames(config.TOPIC_PREFIX),
  });
  const ids = await codec.registerAll();
  log.info({ topics: report, acls, schemas: Object.fromEntries(ids) }, 'provisioned');
});
