import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Admin } from 'kafkajs';
import {
  TopicNames,
  commonEnv,
  createKafka,
  kafkaConnection,
  loadConfig,
  provisionAcls,
  provisionTopics,
} from '@tickstream/platform';
import { kafkaLogin, uniquePrefix } from '../support/env';
import { readAll, silentLog } from '../support/kafka';
import type { PrivateKafka } from '../support/private-infra';
import { privateKafka } from '../support/private-infra';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

/** A CA and a broker certificate for 127.0.0.1 it signed, made with openssl in `dir`. */
function makeCertificates(dir: string): { ca: string; keystore: string; password: string } {
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    f('broker.key'),
    '-out',
    f('broker.csr'),
  );
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    f('broker.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
    '-out',
    f('broker.crt'),
  );
  const password = 'test-keystore-password';
  openssl(
    'pkcs12',
    '-export',
    '-in',
    f('broker.crt'),
    '-inkey',
    f('broker.key'),
    '-out',
    f('broker.p12'),
    '-passout',
    `pass:${password}`,
  );
  return { ca: f('ca.crt'), keystore: f('broker.p12'), password };
}

// Issue 19 §1: where the deployment provides certificates (Strimzi's cluster CA), clients connect
// over TLS with SCRAM-SHA-512: KAFKA_SSL=true and KAFKA_SSL_CA_FILE, validated at start. Here a
// private broker with a SASL_SSL listener and a CA of the test's own.
describe('Kafka over TLS (SASL_SSL)', () => {
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;
  let broker: PrivateKafka;
  let admin: Admin;
  let ingest: ServiceProcess | undefined;
  const names = new TopicNames(uniquePrefix('tls'));
  const tlsEnv = () => ({ KAFKA_BROKERS: broker.brokers, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: certs.ca });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickstream-tls-'));
    certs = makeCertificates(dir);
    broker = await privateKafka({ tls: certs });
    const config = loadConfig(commonEnv, { ...tlsEnv(), ...kafkaLogin() });
    admin = createKafka({ ...kafkaConnection(config), clientId: 'test-tls' }, silentLog).admin();
    await admin.connect();
    await provisionTopics(admin, { prefix: names.prefix, replicationFactor: 1 });
    await provisionAcls(admin, { prefix: names.prefix });
  }, 180000);

  afterAll(async () => {
    await ingest?.stop();
    await admin?.disconnect();
    await broker?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a service as its own user over TLS, trusting the CA of KAFKA_SSL_CA_FILE', async () => {
    ingest = await startService('ingest', {
      ...tlsEnv(),
      TOPIC_PREFIX: names.prefix,
      INGEST_SOURCE: 'sim',
      SIM_BAR_INTERVAL_MS: '1000',
      DEFAULT_SYMBOLS: 'AAPL',
    });
    const kafka = createKafka(
      {
        ...kafkaConnection(loadConfig(commonEnv, { ...tlsEnv(), ...kafkaLogin() })),
        clientId: 'test-tls-reader',
      },
      silentLog,
    );
    const quotes = await readAll(kafka, names.of('quotes'), 1, 60000);
    expect(quotes.length).toBeGreaterThan(0);
  }, 120000);

  it('refuses the broker when the CA is not trusted (system CAs only)', async () => {
    const config = loadConfig(commonEnv, {
      KAFKA_BROKERS: broker.brokers,
      KAFKA_SSL: 'true',
      ...kafkaLogin(),
    });
    const untrusting = createKafka(
      { ...kafkaConnection(config), clientId: 'test-tls-untrusting', retry: { retries: 0 } },
      silentLog,
    ).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
  });
});
