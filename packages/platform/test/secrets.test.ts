import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  assertUsableSecret,
  isPublishedSecret,
  loadConfig,
  masterKey,
  secret,
  url,
} from '@tickstream/platform';
import { publishedSecrets } from '../../../test/support/published-secrets';

const shape = { JWT_SECRET: secret(), BROKER_KEYS_MASTER_KEY: masterKey() };
const good = () => ({
  JWT_SECRET: randomBytes(48).toString('base64'),
  BROKER_KEYS_MASTER_KEY: randomBytes(32).toString('base64'),
});

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(shape, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('secret settings', () => {
  it('accept freshly generated values, the master key parsed to its 32 bytes', () => {
    const env = good();
    const c = loadConfig(shape, env);
    expect(c.JWT_SECRET).toBe(env.JWT_SECRET);
    expect(c.BROKER_KEYS_MASTER_KEY.equals(Buffer.from(env.BROKER_KEYS_MASTER_KEY, 'base64'))).toBe(true);
  });

  it('refuse a JWT secret shorter than 32 bytes, naming it without showing it', () => {
    const short = 'x7Qp-31-bytes-long-but-no-more!';
    const message = refusal({ ...good(), JWT_SECRET: short });
    expect(message).toContain('JWT_SECRET=(hidden, 31 bytes): must be at least 32 bytes');
    expect(message).not.toContain(short);
  });

  it('count bytes, not characters', () => {
    // 16 characters but 31 bytes of UTF-8; then 17 characters, 32 bytes.
    expect(() => assertUsableSecret('JWT_SECRET', `${'é'.repeat(15)}a`)).toThrow(/at least 32 bytes, got 31/);
    expect(() => assertUsableSecret('JWT_SECRET', `${'é'.repeat(15)}ab`)).not.toThrow();
  });

  // The values themselves are read from git history (test/support/published-secrets.ts), so this
  // test does not publish them once more.
  it.each(publishedSecrets().map((s) => [s.where, s.kind, s.value] as const))(
    'refuse the value published in %s (%s)',
    (_where, kind, value) => {
      expect(isPublishedSecret(value)).toBe(true);
      const name = kind === 'jwt' ? 'JWT_SECRET' : 'BROKER_KEYS_MASTER_KEY';
      const message = refusal({ ...good(), [name]: value });
      expect(message).toMatch(
        new RegExp(`${name}=\\(hidden, \\d+ bytes\\): is a value published in the Tickstream repository`),
      );
      expect(message).not.toContain(value);
      // A master key's base64 is long enough to be tried as a JWT secret too.
      if (kind === 'masterKey')
        expect(refusal({ ...good(), JWT_SECRET: value })).toContain(
          'JWT_SECRET=(hidden, 44 bytes): is a value published',
        );
      // Surrounding whitespace does not make it a new secret.
      expect(isPublishedSecret(` ${value}\n`)).toBe(true);
    },
  );

  it('refuse a master key of one repeated byte, published or not', () => {
    const key = Buffer.alloc(32, 0x42).toString('base64');
    expect(isPublishedSecret(key)).toBe(false);
    expect(refusal({ ...good(), BROKER_KEYS_MASTER_KEY: key })).toContain(
      'BROKER_KEYS_MASTER_KEY=(hidden, 44 bytes): is one repeated byte',
    );
  });

  it('still refuse a malformed master key', () => {
    expect(refusal({ ...good(), BROKER_KEYS_MASTER_KEY: randomBytes(16).toString('base64') })).toContain(
      'BROKER_KEYS_MASTER_KEY=(hidden, 24 bytes): expected the base64 of exactly 32 bytes',
    );
  });

  it('mask the password of a URL in a start-up error', () => {
    const attempt = () =>
      loadConfig(
        { DATABASE_URL: url('postgres://x') },
        { DATABASE_URL: 'postgres://app:hunter2-pw@db:99999999/x' },
      );
    expect(attempt).toThrow(/DATABASE_URL="postgres:\/\/app:\*\*\*@db:99999999\/x"/);
    expect(attempt).not.toThrow(/hunter2/);
  });
});
