import { randomBytes, randomUUID } from 'node:crypto';

/** Connection settings of the real infrastructure the tests use (started by scripts/test.mjs). */
export const TEST_ENV = {
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tickstream_test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/**
 * Secrets of this test run, random each time: the services refuse any value that was ever
 * committed (isPublishedSecret), so tests cannot use a fixed one either. Service processes a
 * test starts get the same values (service-process.ts), so the test can sign tokens for them.
 */
export const TEST_SECRETS = Object.freeze({
  JWT_SECRET: randomBytes(48).toString('base64'),
  BROKER_KEYS_MASTER_KEY: randomBytes(32).toString('base64'),
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
