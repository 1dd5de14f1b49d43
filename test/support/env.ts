import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Connection settings of the real infrastructure the tests use (started by scripts/test.mjs). */
export const TEST_ENV = {
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tickstream_test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/**
 * The Kafka passwords of the local broker (KAFKA_<USER>_PASSWORD, see scripts/secrets.mjs): from
 * the environment (scripts/test.mjs passes them), else from the secrets file scripts/infra.mjs
 * started the broker with, so `npx jest FILE` works too. None: a broker without authentication.
 */
function kafkaPasswords(): Record<string, string> {
  const fromEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => /^KAFKA_[A-Z]+_PASSWORD$/.test(e[0]) && e[1] !== undefined,
    ),
  );
  if (fromEnv.KAFKA_ADMIN_PASSWORD) return fromEnv;
  const file = process.env.TICKSTREAM_SECRETS_FILE ?? path.resolve(__dirname, '../../.secrets/local.env');
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^(KAFKA_[A-Z]+_PASSWORD)=(.+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

const KAFKA_PASSWORDS = kafkaPasswords();

/**
 * The settings that log `user` in to the test broker (KAFKA_SASL_USERNAME/PASSWORD), or none when
 * the broker has no authentication. Harness clients use the admin (a super user: they provision
 * topics and ACLs); each service process gets its own user, so its ACLs are what is tested.
 */
export function kafkaLogin(user = 'admin'): Record<string, string> {
  if (!KAFKA_PASSWORDS.KAFKA_ADMIN_PASSWORD) return {};
  const password = KAFKA_PASSWORDS[`KAFKA_${user.toUpperCase()}_PASSWORD`];
  if (!password) throw new Error(`no KAFKA_${user.toUpperCase()}_PASSWORD for the test broker`);
  return { KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: password };
}

/** kafkaLogin as KafkaJS options, for createKafka: `{ ...testKafka(), clientId }`. */
export function testKafka(user = 'admin'): {
  brokers: string[];
  sasl?: { mechanism: 'scram-sha-512'; username: string; password: string };
} {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = kafkaLogin(user);
  const brokers = TEST_ENV.KAFKA_BROKERS.split(',');
  return username && password
    ? { brokers, sasl: { mechanism: 'scram-sha-512', username, password } }
    : { brokers };
}

/**
 * Secrets of this test run, random each time: the services refuse any value that was ever
 * committed (isPublishedSecret), so tests cannot use a fixed one either. Service processes a
 * test starts get the same values (service-process.ts), so the test can sign tokens for them.
 */
export const TEST_SECRETS = Object.freeze({
  JWT_SECRET: randomBytes(48).toString('base64'),
  BROKER_KEYS_MASTER_KEY: randomBytes(32).toString('base64'),
  ORDERS_SERVICE_TOKEN: randomBytes(48).toString('base64'),
  INFERENCE_SERVICE_TOKEN: randomBytes(48).toString('base64'),
});

/** A topic prefix (and so consumer-group and schema-subject prefix) no other test shares. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}.`;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}
