import fs from 'node:fs';
import { z } from 'zod';
import { isValidSymbol } from '@tickstream/contracts';
import { parseMasterKey } from './crypto/sealed';
import { ConfigError } from './errors';
import { secretProblem } from './secrets';

/**
 * Validates `env` against `shape` once, at start-up, and returns a frozen config. A bad value
 * throws a ConfigError naming the variable, so `main()` exits non-zero with an actionable line.
 *
 * @example
 *   const config = loadConfig({ ...commonEnv, HEALTH_PORT: port(9101) });
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<z.ZodObject<S>>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      return `${name}=${shown(name, env[name])}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const pairing = kafkaCredentialsProblem(parsed.data as Record<string, unknown>);
  if (pairing) throw new ConfigError(`invalid configuration:\n  ${pairing}`);
  return Object.freeze(parsed.data);
}

/** A username without a password (or the reverse) is a half-configured login: refused at start. */
function kafkaCredentialsProblem(config: Record<string, unknown>): string | undefined {
  const user = config.KAFKA_SASL_USERNAME;
  const password = config.KAFKA_SASL_PASSWORD;
  if (user !== undefined && password === undefined)
    return 'KAFKA_SASL_PASSWORD=(unset): required when KAFKA_SASL_USERNAME is set';
  if (user === undefined && password !== undefined)
    return 'KAFKA_SASL_USERNAME=(unset): required when KAFKA_SASL_PASSWORD is set';
  return undefined;
}

// Start-up errors reach logs and terminals: a secret is named, never shown, and a URL's password
// is masked (DATABASE_URL=postgres://user:***@host/db).
const SECRET_NAME = /SECRET|PASSWORD|MASTER_KEY|PRIVATE_KEY/;

function shown(name: string, raw: string | undefined): string {
  if (raw === undefined) return '(unset)';
  if (SECRET_NAME.test(name)) return `(hidden, ${Buffer.byteLength(raw, 'utf8')} bytes)`;
  return JSON.stringify(raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]*@/i, '$1***@'));
}

/**
 * A comma-separated setting as its trimmed, non-empty items.
 *
 * @example
 *   REPLAY_FILES: commaList(), // "a.csv, b.csv," -> ['a.csv', 'b.csv']
 */
export const commaList = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Comma-separated `host:port` list, e.g. KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9093. */
export const brokerList = (fallback: string) =>
  commaList(fallback).refine(
    (list) => list.length > 0 && list.every((b) => HOST_PORT.test(b) && Number(b.split(':')[1]) <= 65535),
    {
      message: 'expected a comma-separated list of host:port, e.g. 127.0.0.1:9092',
    },
  );

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const url = (fallback: string) => z.string().url().default(fallback);

/**
 * A secret such as JWT_SECRET: at least 32 bytes, never a value published in the repository
 * (see `isPublishedSecret`), never one repeated character. Errors name it without its value.
 *
 * @example
 *   const config = loadConfig({ ...commonEnv, JWT_SECRET: secret() });
 */
export const secret = () =>
  z.string().superRefine((s, ctx) => {
    const problem = secretProblem(s);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/**
 * BROKER_KEYS_MASTER_KEY: the base64 of exactly 32 random bytes, shared by the gateway (which
 * seals traders' broker keys) and the order service (which opens them); parsed to the key itself.
 * A key published in the repository or of one repeated byte is refused like a malformed one.
 */
export const masterKey = () =>
  z
    .string()
    .superRefine((s, ctx) => {
      let key: Buffer;
      try {
        key = parseMasterKey(s);
      } catch {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message:
            'expected the base64 of exactly 32 bytes (openssl rand -base64 32), the same key in the gateway and the order service',
        });
        return;
      }
      const problem = secretProblem(key, 'openssl rand -base64 32');
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    })
    .transform(parseMasterKey);

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const symbolList = (fallback: string) =>
  commaList(fallback)
    .transform((l) => l.map((x) => x.toUpperCase()))
    .refine((l) => l.every(isValidSymbol), {
      message: 'expected comma-separated ticker symbols',
    });

export const DEFAULT_SYMBOLS = 'SPY,QQQ,AAPL,TSLA,NVDA,MSFT,GOOGL,META,AMZN,AMD';

/**
 * How clients authenticate to Kafka: SASL/SCRAM-SHA-512 as KAFKA_SASL_USERNAME when it is set
 * (each service has its own user and ACLs, see kafka/acls.ts), over TLS when KAFKA_SSL is true,
 * trusting KAFKA_SSL_CA_FILE (PEM; Strimzi's cluster CA) or else the system's CAs. Unset username:
 * no SASL, for a broker without authentication (docker-compose).
 */
export const kafkaAuthEnv = {
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL: bool(false),
  KAFKA_SSL_CA_FILE: z
    .string()
    .refine((f) => fs.existsSync(f), {
      message: 'no such file (expected the PEM of the CA that signed the brokers)',
    })
    .optional(),
};

/** Settings every service shares. */
export const commonEnv = {
  SERVICE_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: brokerList('127.0.0.1:9092'),
  ...kafkaAuthEnv,
  KAFKA_CLIENT_ID: z.string().min(1).default('tickstream'),
  /** Prefix for every topic name and consumer group: isolates tests and tenants on one cluster. */
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  KAFKA_REPLICATION_FACTOR: positiveInt(1),
  SCHEMA_REGISTRY_URL: url('http://127.0.0.1:8081/apis/ccompat/v7'),
  DATABASE_URL: url('postgres://postgres@127.0.0.1:5432/tickstream'),
  REDIS_URL: url('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('ts:'),
  HEALTH_HOST: z.string().default('127.0.0.1'),
};
