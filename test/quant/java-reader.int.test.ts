import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Bar, Quote } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import { TEST_ENV, kafkaLogin } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, typedProducer } from '../support/kafka';
import { KAFKA_LIB } from '../support/private-infra';
import { bar, quote } from '../support/records';

const READER = path.join(__dirname, 'java', 'ReadTopic.java');
const AVRO_VERSION = '1.12.2';
const AVRO_DIR = path.join(path.dirname(path.dirname(KAFKA_LIB)), 'quant-java');
const AVRO_JAR = path.join(AVRO_DIR, `avro-${AVRO_VERSION}.jar`);

/** Apache Avro's jar from Maven Central, once; its Jackson and SLF4J come with Kafka's jars. */
function ensureAvroJar(): void {
  if (fs.existsSync(AVRO_JAR)) return;
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
      `-Dartifact=org.apache.avro:avro:${AVRO_VERSION}`,
      `-DoutputDirectory=${AVRO_DIR}`,
    ],
    { stdio: 'inherit', cwd: path.dirname(AVRO_DIR) },
  );
}

interface ReadRecord {
  key: string;
  partition: number;
  offset: number;
  schema_id: number;
  value: Record<string, unknown>;
}

/**
 * Runs the Java reader (Kafka's own client and Apache Avro, no Tickstream code) as `user`;
 * resolves to the records it printed, or rejects with what it wrote to stderr.
 */
function readWithJava(user: string, topic: string, group: string, count: number): Promise<ReadRecord[]> {
  const login = kafkaLogin(user);
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', `${KAFKA_LIB}/*:${AVRO_JAR}`, READER, topic, group, String(count)], {
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: TEST_ENV.KAFKA_BROKERS,
        KAFKA_USERNAME: login.KAFKA_SASL_USERNAME,
        KAFKA_PASSWORD: login.KAFKA_SASL_PASSWORD,
        SCHEMA_REGISTRY_URL: TEST_ENV.SCHEMA_REGISTRY_URL,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`java reader exited ${code}: ${err.trim().slice(-3000)}`));
      resolve(
        out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as ReadRecord),
      );
    });
  });
}

// The quant team's contract (schemas/README.md): any language reads the topics as the `quant`
// user with the Confluent wire format and the registry's Confluent API alone. A Java reader
// shows it on the real broker and registry, beyond what a KafkaJS test could.
describe('a Java quant reading the topics', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;

  beforeAll(async () => {
    if (!kafkaLogin().KAFKA_SASL_USERNAME)
      throw new Error(
        `the test broker ${TEST_ENV.KAFKA_BROKERS} has no credentials: start it with scripts/infra.mjs`,
      );
    ensureAvroJar();
    bed = await kafkaTestbed('quant-java');
    producer = await typedProducer(bed);
  }, 180000);
  afterAll(async () => {
    await producer?.disconnect();
    await bed?.close();
  });

  it('decodes md.bars.v1 to the bars that were published, in order per symbol', async () => {
    const bars: Bar[] = ['AAPL', 'MSFT', 'SPY'].flatMap((s) =>
      Array.from({ length: 5 }, (_, i) => bar(s, i, 5)),
    );
    await producer.send(
      'bars',
      bars.map((b) => ({ key: b.symbol, value: b })),
    );

    const got = await readWithJava(
      'quant',
      bed.names.of('bars'),
      bed.names.group('quant-java-bars'),
      bars.length,
    );

    expect(got).toHaveLength(bars.length);
    for (const symbol of ['AAPL', 'MSFT', 'SPY']) {
      const mine = got.filter((r) => r.key === symbol).sort((a, b) => a.offset - b.offset);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map((r) => r.value)).toEqual(bars.filter((b) => b.symbol === symbol));
    }
  });

  it('decodes md.quotes.v1, whose optional fields are Avro unions with null', async () => {
    const quotes: Quote[] = [
      quote('NVDA', 120.5),
      { ...quote('NVDA', 120.51), bid_exchange: 'Q', ask_exchange: 'V', conditions: ['R'], tape: 'C' },
    ];
    await producer.send(
      'quotes',
      quotes.map((q) => ({ key: q.symbol, value: q })),
    );

    const got = await readWithJava('quant', bed.names.of('quotes'), bed.names.group('quant-java-quotes'), 2);

    expect(got.sort((a, b) => a.offset - b.offset).map((r) => r.value)).toEqual(quotes);
  });

  it('is refused orders.events.v1 as the quant user', async () => {
    await expect(
      readWithJava('quant', bed.names.of('orderEvents'), bed.names.group('quant-java-orders'), 1),
    ).rejects.toThrow(/TopicAuthorizationException|not authorized/i);
  });
});
