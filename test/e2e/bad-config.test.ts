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
// or a short one, names the variable and never prints the value. The port is bad too, so every
// build stops at its configuration (no timeout needed): one without the secret check names only
// the port.
describe('services holding secrets refuse a published or short one', () => {
  const fresh = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    BROKER_KEYS_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  // Each distinct value once: JWT secrets to the gateway, master keys to the order service (the
  // check is the platform's, shared by both), plus a master key to the gateway and a short secret.
  const distinct = [...new Map(publishedSecrets().map((s) => [s.value, s])).values()];
  const cases: (readonly [string, string, string, string])[] = distinct.map(({ where, kind, value }) =>
    kind === 'jwt'
      ? (['gateway', 'JWT_SECRET', where, value] as const)
      : (['orders', 'BROKER_KEYS_MASTER_KEY', where, value] as const),
  );
  const key = distinct.find((s) => s.kind === 'masterKey')!;
  cases.push(['gateway', 'BROKER_KEYS_MASTER_KEY', key.where, key.value]);
  cases.push(['gateway', 'JWT_SECRET', 'a 30-byte random value', randomBytes(15).toString('hex')]);

  // The title names where a value was published, never the value.
  it.each(cases)('%s exits naming %s (the value of %s)', (service, name, _where, value) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'services', service, 'dist', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        HTTP_PORT: 'not-a-port',
        HEALTH_PORT: 'not-a-port',
        ...fresh,
        [name]: value,
      },
      encoding: 'utf8',
    });
    expect(r.status).not.toBeNull();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`${name}=\\(hidden, \\d+ bytes\\): (is a value published|must be at least 32 bytes)`),
    );
    expect(r.stderr + r.stdout).not.toContain(value);
  });
});
