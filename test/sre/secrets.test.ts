import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPublishedSecret, loadConfig, masterKey, secret } from '@tickstream/platform';
import {
  FILES_WITH_SECRETS,
  oldText,
  publishedSecrets,
  publishedSecretsIn,
} from '../support/published-secrets';

const ROOT = path.resolve(__dirname, '../..');

// Issue 13 §2: `npm run up` used a JWT secret committed in the repository, so anyone could mint
// an admin token for a stack started the documented way.
// The Kafka users of the local broker, each with a password (scripts/infra.mjs).
const KAFKA = ['ADMIN', 'INGEST', 'FEATURES', 'INFERENCE', 'GATEWAY', 'ORDERS', 'QUANT'].map(
  (u) => `KAFKA_${u}_PASSWORD`,
);
const ALL = [
  'JWT_SECRET',
  'BROKER_KEYS_MASTER_KEY',
  'POSTGRES_PASSWORD',
  'ORDERS_SERVICE_TOKEN',
  'INFERENCE_SERVICE_TOKEN',
  ...KAFKA,
];

describe('secrets of the local stack (scripts/secrets.mjs)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  });

  const make = (file: string) =>
    spawnSync(process.execPath, ['scripts/secrets.mjs', '--file', file], { cwd: ROOT, encoding: 'utf8' });
  const read = (file: string) =>
    Object.fromEntries(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z]/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ) as Record<string, string>;

  it('are generated on first use into a file only its owner can read, then reused', () => {
    const file = path.join(dir, 'nested', 'local.env');
    const first = make(file);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`${file}: ${ALL.join(', ')}\n`);
    expect(first.stderr).toContain('generated JWT_SECRET, BROKER_KEYS_MASTER_KEY, POSTGRES_PASSWORD');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const values = read(file);
    // Usable by the services as they are: config validation accepts them.
    const config = loadConfig({ JWT_SECRET: secret(), BROKER_KEYS_MASTER_KEY: masterKey() }, values);
    expect(config.BROKER_KEYS_MASTER_KEY).toHaveLength(32);
    for (const v of Object.values(values)) expect(first.stdout + first.stderr).not.toContain(v);

    const again = make(file);
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
    expect(read(file)).toEqual(values);
    // Another checkout gets other values.
    const other = path.join(dir, 'other.env');
    make(other);
    for (const [name, v] of Object.entries(read(other)))
      expect({ name, v }).not.toEqual({ name, v: values[name] });
  });

  it('completes a file that lacks a secret without touching the others, and tightens its mode', () => {
    const file = path.join(dir, 'local.env');
    fs.writeFileSync(file, `# mine\nJWT_SECRET=${'k'.repeat(20)}-kept-as-is-by-the-script\n`, {
      mode: 0o644,
    });
    fs.chmodSync(file, 0o644);
    const r = make(file);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('was readable by others (mode 644): now 600');
    expect(r.stderr).toContain('added BROKER_KEYS_MASTER_KEY, POSTGRES_PASSWORD');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(read(file).JWT_SECRET).toBe(`${'k'.repeat(20)}-kept-as-is-by-the-script`);
    expect(Object.keys(read(file))).toEqual(ALL);
  });

  it('refuses a malformed file instead of guessing', () => {
    const file = path.join(dir, 'local.env');
    fs.writeFileSync(file, 'this is not an env file\n', { mode: 0o600 });
    const r = make(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:1: expected NAME=VALUE`);
  });

  it('are what npm run up starts the services with (no secret of its own)', () => {
    const up = fs.readFileSync(path.join(ROOT, 'scripts/up.mjs'), 'utf8');
    expect(up).toMatch(/const secrets = ensureLocalSecrets\(\);[\s\S]*startServices\(secrets[,)]/);
    const services = fs.readFileSync(path.join(ROOT, 'scripts/services.mjs'), 'utf8');
    expect(services).not.toMatch(/JWT_SECRET|MASTER_KEY/);
  });

  it('live in a git-ignored file', () => {
    const ignored = spawnSync('git', ['check-ignore', '-q', '.secrets/local.env'], { cwd: ROOT });
    expect(ignored.status).toBe(0);
  });
});

describe('the repository', () => {
  it('finds each published secret in the tree that held them (the scan below works)', () => {
    const texts = FILES_WITH_SECRETS.map(oldText);
    const found = texts.flatMap((t) => publishedSecretsIn(t, isPublishedSecret));
    // Keys built in code (Buffer.alloc) were never literals; every other value was.
    const literals = [...new Set(publishedSecrets().map((s) => s.value))].filter((v) =>
      texts.some((t) => t.includes(v)),
    );
    expect(literals.length).toBeGreaterThanOrEqual(7);
    expect([...new Set(found)].sort()).toEqual(literals.sort());
  });

  it('holds no published secret in any tracked file', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    const hits: string[] = [];
    for (const f of files) {
      const full = path.join(ROOT, f);
      if (!fs.existsSync(full) || fs.statSync(full).size > 4 << 20) continue;
      const text = fs.readFileSync(full, 'utf8');
      if (publishedSecretsIn(text, isPublishedSecret).length > 0) hits.push(f);
    }
    expect(hits).toEqual([]);
  });
});
