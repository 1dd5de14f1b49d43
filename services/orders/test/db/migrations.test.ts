import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { migrate } from '@tickstream/platform';
import { type ScratchDatabase, scratchDatabase } from '../../../../test/support/scratch-db';
import { GATEWAY_MIGRATIONS } from '../../../gateway/src/db';
import { INFERENCE_MIGRATIONS } from '../../../inference/src/db';
import { ORDERS_MIGRATIONS } from '../../src/db';

// Each owner migrates its own tables in a knex migrations table of its own. Two databases: a new
// one, which the order service migrates alone (no gateway table exists), and one as the code
// before per-service migrations left it (every migration recorded in knex_migrations, the order
// tables holding foreign keys to users), which the services adopt without migrating it again.

const scratches: ScratchDatabase[] = [];

async function scratch(label: string): Promise<Knex> {
  const created = await scratchDatabase(label);
  scratches.push(created);
  return created.db;
}

afterAll(() => Promise.all(scratches.map((s) => s.drop())));

const recorded = async (db: Knex, table: string) =>
  ((await db(table).orderBy('id').select('name')) as Array<{ name: string }>).map((r) => r.name);

const foreignKeysToUsers = async (db: Knex) =>
  (
    (
      await db.raw(
        `SELECT conname FROM pg_constraint
         WHERE contype = 'f' AND confrelid = to_regclass('users') ORDER BY conname`,
      )
    ).rows as Array<{ conname: string }>
  ).map((r) => r.conname);

describe('per-service migrations', () => {
  it('build the order service its tables on a new database, without any gateway table', async () => {
    const db = await scratch('mig_new');
    const applied = await migrate(db, ORDERS_MIGRATIONS);
    expect(applied).toEqual(Object.keys(ORDERS_MIGRATIONS.migrations).sort());
    for (const table of [
      'orders',
      'fills',
      'positions',
      'outbox',
      'risk_limits',
      'risk_audit',
      'trading_controls',
    ])
      expect(await db.schema.hasTable(table)).toBe(true);
    expect(await db.schema.hasTable('users')).toBe(false);
    expect(await db.schema.hasTable('knex_migrations')).toBe(false);
    // An account the gateway knows is enough: nothing here refers to its users.
    await db('order_accounts').insert({ account_id: randomUUID() });

    expect(await migrate(db, GATEWAY_MIGRATIONS)).toEqual(['20261127_001_accounts']);
    expect(await migrate(db, INFERENCE_MIGRATIONS)).toEqual(
      Object.keys(INFERENCE_MIGRATIONS.migrations).sort(),
    );
    expect(await migrate(db, ORDERS_MIGRATIONS)).toEqual([]);
  });

  it('adopt a database migrated before they were split: nothing runs twice, the keys to users go', async () => {
    const db = await scratch('mig_old');
    // What the code before did: one list in knex_migrations, with the order tables' foreign keys.
    const before = Object.fromEntries(
      Object.entries(ORDERS_MIGRATIONS.migrations).filter(([name]) => name !== '20261203_002_own_schema'),
    );
    await migrate(db, {
      tableName: 'knex_migrations',
      migrations: { ...GATEWAY_MIGRATIONS.migrations, ...before, ...INFERENCE_MIGRATIONS.migrations },
    });
    await db.raw(`ALTER TABLE orders ADD CONSTRAINT orders_account_id_foreign
                  FOREIGN KEY (account_id) REFERENCES users (id) ON DELETE CASCADE`);
    await db.raw(`ALTER TABLE risk_limits ADD CONSTRAINT risk_limits_user_id_foreign
                  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`);
    const [user] = (await db('users')
      .insert({ email: `mig-${randomUUID()}@example.test`, password_hash: 'x' })
      .returning('id')) as Array<{ id: string }>;
    await db('risk_limits').insert({ user_id: user!.id, limits: JSON.stringify({ maxOrderQty: 5 }) });
    expect(await foreignKeysToUsers(db)).toContain('orders_account_id_foreign');

    // The services start: inference, the gateway, and two order services at once.
    const [inference, gateway, orders1, orders2] = await Promise.all([
      migrate(db, INFERENCE_MIGRATIONS),
      migrate(db, GATEWAY_MIGRATIONS),
      migrate(db, ORDERS_MIGRATIONS),
      migrate(db, ORDERS_MIGRATIONS),
    ]);
    expect(inference).toEqual([]);
    expect(gateway).toEqual([]);
    expect([...orders1, ...orders2]).toEqual(['20261203_002_own_schema']);

    expect(await recorded(db, 'knex_migrations_orders')).toEqual(
      Object.keys(ORDERS_MIGRATIONS.migrations).sort(),
    );
    expect(await recorded(db, 'knex_migrations_gateway')).toEqual(['20261127_001_accounts']);
    // The data stays; only the gateway's own tables still refer to users.
    expect(await db('risk_limits').where({ user_id: user!.id }).first('limits')).toEqual({
      limits: { maxOrderQty: 5 },
    });
    expect(await foreignKeysToUsers(db)).toEqual([
      'broker_credentials_user_id_foreign',
      'refresh_tokens_user_id_foreign',
      'watchlists_user_id_foreign',
    ]);
  });
});
