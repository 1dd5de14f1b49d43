// What Kafka authentication costs the ingest path: the same simulator records through the
// service's publisher (Avro, batching, three idempotent acks=all producers) into two throwaway
// single-node brokers started alike, one without authentication and one with SASL/SCRAM-SHA-512
// and ACLs (the publisher logs in as the ingest user), measured alternately in the same run; plus
// the time a new client takes to connect (SCRAM's handshake is per connection).
// `npm run bench -- kafka-auth [--records N] [--rounds 2]`. Needs the local users' passwords
// (scripts/infra.mjs, .secrets/local.env), as the tests do.
import type { Kafka } from 'kafkajs';
import { AvroCodec, TopicNames, createKafka, provisionAcls, provisionTopics } from '@tickstream/platform';
import { TEST_ENV, kafkaLogin, testKafka, uniquePrefix } from '../../test/support/env';
import { silentLog } from '../../test/support/kafka';
import type { PrivateKafka } from '../../test/support/private-infra';
import { privateKafka } from '../../test/support/private-infra';
import type { SimRecord } from '../support/ingest';
import { publishThroughIngest, simRecords } from '../support/ingest';
import { benchLine, printTable } from '../support/report';
import { arg } from '../support/cli';

interface Side {
  label: string;
  broker: PrivateKafka;
  /** The ingest user's client (no login on the broker without authentication). */
  client: () => Kafka;
  names: TopicNames;
  codec: AvroCodec;
}

async function side(label: string, broker: PrivateKafka, auth: boolean): Promise<Side> {
  const login = (user: string) => (auth ? testKafka(user).sasl : undefined);
  const admin = createKafka(
    { brokers: [broker.brokers], sasl: login('admin'), clientId: 'bench-auth-admin' },
    silentLog,
  ).admin();
  await admin.connect();
  const names = new TopicNames(uniquePrefix(`bench-auth-${label}`));
  await provisionTopics(admin, { prefix: names.prefix, replicationFactor: 1 });
  if (auth) await provisionAcls(admin, { prefix: names.prefix });
  await admin.disconnect();
  return {
    label,
    broker,
    client: () =>
      createKafka({ brokers: [broker.brokers], sasl: login('ingest'), clientId: 'bench-auth' }, silentLog),
    names,
    codec: new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names }),
  };
}

/** Records per second through the ingest publisher into `s`. */
async function publish(s: Side, records: SimRecord[]): Promise<number> {
  const sec = await publishThroughIngest({
    kafka: s.client(),
    codec: s.codec,
    names: s.names,
    records,
    producers: 3,
    maxBatch: 1000,
  });
  return records.length / sec;
}

/** Median milliseconds for a new producer to connect (TCP, API versions, SASL if any, metadata). */
async function connectMs(s: Side, times: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const producer = s.client().producer();
    const t0 = performance.now();
    await producer.connect();
    ms.push(performance.now() - t0);
    await producer.disconnect();
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

async function main() {
  if (!kafkaLogin().KAFKA_SASL_USERNAME)
    throw new Error(
      'no Kafka passwords (KAFKA_ADMIN_PASSWORD or .secrets/local.env): run scripts/infra.mjs up once',
    );
  const total = arg('records', 100_000);
  const rounds = arg('rounds', 2);
  const records = await simRecords(total);

  const brokers: PrivateKafka[] = [];
  try {
    brokers.push(await privateKafka({ auth: false }));
    brokers.push(await privateKafka({ auth: true }));
    const plain = await side('plain', brokers[0]!, false);
    const sasl = await side('sasl', brokers[1]!, true);
    // Warm-up (schemas registered, JIT), then alternate so drift hits both sides alike.
    await publish(plain, records.slice(0, 5000));
    await publish(sasl, records.slice(0, 5000));
    const rates: Record<string, number[]> = { plain: [], sasl: [] };
    for (let i = 0; i < rounds; i++)
      for (const s of i % 2 === 0 ? [plain, sasl] : [sasl, plain])
        rates[s.label]!.push(await publish(s, records));
    const best = (l: string) => Math.max(...rates[l]!);
    const connect = { plain: await connectMs(plain, 15), sasl: await connectMs(sasl, 15) };
    printTable([
      ['broker', 'records', 'best msgs/s', 'all rounds', 'connect ms (median)'],
      [
        'no authentication',
        records.length,
        best('plain'),
        rates.plain!.map((r) => r.toFixed(0)).join(' '),
        connect.plain,
      ],
      [
        'SASL/SCRAM-SHA-512 + ACLs',
        records.length,
        best('sasl'),
        rates.sasl!.map((r) => r.toFixed(0)).join(' '),
        connect.sasl,
      ],
    ]);
    benchLine('kafka-auth', {
      records: records.length,
      rounds,
      plain_msgs_per_s: best('plain'),
      sasl_msgs_per_s: best('sasl'),
      ratio: best('sasl') / best('plain'),
      plain_connect_ms: connect.plain,
      sasl_connect_ms: connect.sasl,
    });
  } finally {
    for (const b of brokers) await b.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
