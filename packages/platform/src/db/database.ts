import type { Knex } from 'knex';
import knex from 'knex';
import { Client } from 'pg';
import { TickstreamError } from '../errors';
import { MIGRATIONS } from './migrations';

/** Creates the database named in `databaseUrl` if it does not exist (connects to `postgres`). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new TickstreamError('CONFIG_INVALID', `DATABASE_URL names an unusable database "${name}"`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (err) {
        // Two services starting together may race to create it.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * The one knex factory. Migrations are TypeScript modules listed in ./migrations, so they run the
 * same from sources (tests) and from dist (services) without a TypeScript loader.
 *
 * @example
 *   const db = createDatabase(config.DATABASE_URL);
 *   await migrate(db);
 */
export function createDatabase(databaseUrl: string, pool: { min?: number; max?: number } = {}): Knex {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { migrationSource: migrationSource(), tableName: 'knex_migrations' },
  });
}

function migrationSource(): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(MIGRATIONS).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => {
      const m = MIGRATIONS[name];
      if (!m) throw new TickstreamError('MIGRATION_MISSING', `unknown migration ${name}`);
      return m;
    },
  };
}

/** Brings the schema to the newest version; safe to run from several processes at once. */
export async function migrate(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
