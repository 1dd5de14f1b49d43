import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createDatabase, ensureDatabase } from '@tickstream/platform';
import { TEST_ENV } from './env';

export interface ScratchDatabase {
  url: string;
  db: Knex;
  /** Closes the pool and drops the database, even with sessions still connected. */
  drop(): Promise<void>;
}

/**
 * A new, empty database beside the test database, for a test that needs one to itself: a schema
 * from nothing, or tables (like `models`, one active row) that tests sharing a database would
 * fight over.
 */
export async function scratchDatabase(label: string, pool: { max?: number } = {}): Promise<ScratchDatabase> {
  const url = new URL(TEST_ENV.DATABASE_URL);
  const name = `${url.pathname.slice(1)}_${label}_${randomUUID().slice(0, 8)}`;
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  const db = createDatabase(url.toString(), { max: pool.max ?? 4 });
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      const admin = new URL(TEST_ENV.DATABASE_URL);
      admin.pathname = '/postgres';
      const root = createDatabase(admin.toString(), { max: 1 });
      try {
        await root.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await root.destroy();
      }
    },
  };
}
