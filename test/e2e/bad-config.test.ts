import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
