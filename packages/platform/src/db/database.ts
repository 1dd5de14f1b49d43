import type { Knex } from 'knex';
import knex from 'knex';
import { Client } from 'pg';
import { TickstreamError } from '../errors';

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
 * The one knex factory. Migrations are TypeScript modules listed by their owner (MigrationSet), so
 * they run the same from sources (tests) and from dist (services) without a TypeScript loader.
 *
 * @example
 *   const db = createDatabase(config.DATABASE_URL);
 *   await migrate(db, ORDERS_MIGRATIONS);
 */
export function createDatabase(databaseUrl: string, pool: { min?: number; max?: number } = {}): Knex {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
  });
}

/**
 * The migrations of one owner of tables (a service), recorded in a knex migrations table of its
 * own, so owners never wait on or depend on each other's schema.
 */
export interface MigrationSet {
  /** Its knex migrations table, e.g. `knex_migrations_orders`; `<tableName>_lock` is its lock. */
  tableName: string;
  /** Every migration, by name; names sort in the order they apply. */
  migrations: Record<string, Knex.Migration>;
}

/**
 * The table in which every migration was recorded before each owner had its own (the platform
 * kept the model registry's there last). A set adopts its migrations' rows from it, so a database
 * migrated by that code is not migrated again; nothing is recorded in it any more.
 */
const SHARED_TABLE = 'knex_migrations';

function migrationSource(set: MigrationSet): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(set.migrations).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => {
      const m = set.migrations[name];
      if (!m) throw new TickstreamError('MIGRATION_MISSING', `unknown migration ${name}`);
      return m;
    },
  };
}

/**
 * Creates the set's migrations table and its lock table, with exactly one lock row, under an
 * advisory lock, before knex looks at them. knex creates both and inserts the row check-then-act
 * outside any lock: replicas starting together on a new database could both create a table (one
 * fails) or both insert a lock row, after which every run of the set fails with "Migration table
 * is already locked". A lock table left with several rows by that race is healed here.
 *
 * The first time a set other than the shared one gets its table, it copies in the rows of its
 * migrations that the shared table holds, so a database migrated before the split is not
 * migrated again.
 */
async function prepareTables(db: Knex, set: MigrationSet): Promise<void> {
  const lockTable = `${set.tableName}_lock`;
  await db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`migrations:${set.tableName}`]);
    if (!(await trx.schema.hasTable(set.tableName))) {
      await trx.schema.createTable(set.tableName, (t) => {
        t.increments();
        t.string('name');
        t.integer('batch');
        t.timestamp('migration_time');
      });
      if (set.tableName !== SHARED_TABLE && (await trx.schema.hasTable(SHARED_TABLE)))
        await trx.raw(
          `INSERT INTO ?? (name, batch, migration_time)
           SELECT name, batch, migration_time FROM ?? WHERE name = ANY(?) ORDER BY id`,
          [set.tableName, SHARED_TABLE, Object.keys(set.migrations)],
        );
    }
    if (!(await trx.schema.hasTable(lockTable)))
      await trx.schema.createTable(lockTable, (t) => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
    const rows = (await trx(lockTable).select('index', 'is_locked').orderBy('index')) as Array<{
      index: number;
      is_locked: number | null;
    }>;
    if (rows.length === 0) await trx(lockTable).insert({ is_locked: 0 });
    else if (rows.length > 1) {
      // Keep one row, locked if any was: a run of older code may hold the lock right now.
      const [kept] = rows;
      await trx(lockTable)
        .where('index', kept!.index)
        .update({ is_locked: rows.some((r) => r.is_locked === 1) ? 1 : 0 });
      await trx(lockTable).whereNot('index', kept!.index).del();
    }
  });
}

/**
 * Brings the set's tables to their newest version; safe to run from several processes at once.
 * A set's table may record a migration its list no longer holds (a database migrated by older
 * code), so knex is told not to require every recorded name in this set.
 *
 * @example
 *   await migrate(db, ORDERS_MIGRATIONS); // the order service's tables, in knex_migrations_orders
 */
export async function migrate(db: Knex, set: MigrationSet): Promise<string[]> {
  await prepareTables(db, set);
  const [, applied] = (await db.migrate.latest({
    migrationSource: migrationSource(set),
    tableName: set.tableName,
    disableMigrationsListValidation: true,
  })) as [number, string[]];
  return applied;
}
