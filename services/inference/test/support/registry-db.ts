import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createDatabase, ensureDatabase, migrate } from '@tickstream/platform';
import { TEST_ENV } from '../../../../test/support/env';
import { ModelRegistry } from '../../src/registry';

export interface RegistryDb {
  url: string;
  db: Knex;
  registry: ModelRegistry;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file. The `models` table allows one active model, so tests
 * that promote in a shared database would steal each other's serving model.
 */
export async function registryDb(label: string): Promise<RegistryDb> {
  const url = new URL(TEST_ENV.DATABASE_URL);
  const name = `tickstream_test_${label}_${randomUUID().slice(0, 8)}`;
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  const db = createDatabase(url.toString(), { max: 2 });
  await migrate(db);
  return {
    url: url.toString(),
    db,
    registry: new ModelRegistry(db),
    async drop() {
      await db.destroy();
      const admin = new URL(TEST_ENV.DATABASE_URL);
      admin.pathname = '/postgres';
      const root = createDatabase(admin.toString(), { max: 1 });
      try {
        await root.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await root.destroy();
      }
    },
  };
}
