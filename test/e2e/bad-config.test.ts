import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { publishedSecrets } from '../support/published-secrets';

const ROOT = path.resolve(__dirname, '../..');

// Built services (npm test builds before running jest) refuse a bad setting at start-up, exit
// non-zero and name the variable.
describe.each(['ingest', 'features', 'inference', 'gateway', 'orders'])(
  '%s with a bad setting',
  (service) => {
    it.each([
      ['KAFKA_BROKERS', 'notaport'],
      ['SCHEMA_REGISTRY_URL', 'nope'],
    ])('exits non-zero naming %s', (name, value) => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'services', service, 'dist', 'main.js')], {
        env: { PATH: process.env.PATH, [name]: value },
        encoding: 'utf8',
        timeout: 30000,
      });
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBeNull();
      expect(r.stderr).toContain(`${name}="${value}"`);
    });
  },
);

// Issue 13 §2: a secret anyone can read in the repository is no secret. Each service holding a
// secret refuses a value that was ever published (read from git history, not committed again)
// or a short one, names the variable and never prints the value. Nothing they could reach is
// real (Kafka on port 1), so on a build without the check the process hangs and the test fails.
describe('services holding secrets refuse a published or short one', () => {
  const fresh = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    BROKER_KEYS_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const cases = publishedSecrets().flatMap(({ where, kind, value }) =>
    (kind === 'jwt' ? ['gateway'] : ['gateway', 'orders']).map(
      (service) => [service, kind === 'jwt' ? 'JWT_SECRET' : 'BROKER_KEYS_MASTER_KEY', value, where] as const,
    ),
  );
  cases.push(['gateway', 'JWT_SECRET', randomBytes(15).toString('hex'), 'a 30-byte value']);

  it.each(cases)('%s exits naming %s (value of %s)', (service, name, value) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'services', service, 'dist', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: '127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        REDIS_URL: 'redis://127.0.0.1:1',
        HTTP_PORT: '0',
        HEALTH_PORT: '0',
        ...fresh,
        [name]: value,
      },
      encoding: 'utf8',
      timeout: 20000,
      // A build without the check keeps trying to connect and would not stop on SIGTERM in time.
      killSignal: 'SIGKILL',
    });
    expect(r.status).not.toBeNull();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`${name}=\\(hidden, \\d+ bytes\\): (is a value published|must be at least 32 bytes)`),
    );
    expect(r.stderr + r.stdout).not.toContain(value);
  });
});
