import type { Knex } from 'knex';
import { migrate, type MigrationSet } from '@tickstream/platform';
import { type ScratchDatabase, scratchDatabase } from '../../../../test/support/scratch-db';

// Replicas of a service start together on a database nobody has migrated yet. knex creates its
// lock table and lock row with check-then-act outside any lock, so two starters could both
// insert a row; from then on every migration of that set fails with "Migration table is already
// locked", on every start, forever. The last red CI was this race between two order services.

const SET: MigrationSet = {
  tableName: 'knex_migrations_race',
  migrations: {
    '001_widgets': {
      up: (db: Knex) => db.schema.createTable('widgets', (t) => t.increments()),
      down: (db: Knex) => db.schema.dropTable('widgets'),
    },
  },
};

const scratches: ScratchDatabase[] = [];

async function freshDatabase(): Promise<Knex> {
  const created = await scratchDatabase('race', { max: 8 });
  scratches.push(created);
  return created.db;
}

afterAll(() => Promise.all(scratches.map((s) => s.drop())));

describe('migrate, from several starters at once on a new database', () => {
  it.each([1, 2, 3])('applies each migration once and leaves one lock row (round %i)', async () => {
    const db = await freshDatabase();
    const starters = Array.from({ length: 6 }, () => migrate(db, SET));
    const applied = await Promise.all(starters);

    expect(applied.flat()).toEqual(['001_widgets']);
    expect(await db('knex_migrations_race_lock').count({ n: '*' })).toEqual([{ n: '1' }]);
    expect(await migrate(db, SET)).toEqual([]);
  });

  it('a set in the shared knex_migrations too (as the code before per-owner sets kept them)', async () => {
    const db = await freshDatabase();
    await Promise.all(Array.from({ length: 4 }, () => migrate(db, { ...SET, tableName: 'knex_migrations' })));
    expect(await db('knex_migrations_lock').count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  it('heals a set whose lock table an earlier race left with two rows', async () => {
    const db = await freshDatabase();
    await migrate(db, SET);
    await db('knex_migrations_race_lock').insert({ is_locked: 0 });
    const grown: MigrationSet = {
      ...SET,
      migrations: {
        ...SET.migrations,
        '002_gadgets': {
          up: (trx: Knex) => trx.schema.createTable('gadgets', (t) => t.increments()),
          down: (trx: Knex) => trx.schema.dropTable('gadgets'),
        },
      },
    };
    expect(await migrate(db, grown)).toEqual(['002_gadgets']);
    expect(await db('knex_migrations_race_lock').count({ n: '*' })).toEqual([{ n: '1' }]);
  });
});
