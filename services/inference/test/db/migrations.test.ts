import type { Knex } from 'knex';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { migrate } from '@tickstream/platform';
import { type ScratchDatabase, scratchDatabase } from '../../../../test/support/scratch-db';
import { INFERENCE_MIGRATIONS } from '../../src/db';
import { ModelRegistry } from '../../src/registry';

// The model registry's table was the platform's (its migrations recorded in knex_migrations,
// run by every service that called migrate(db)); inference owns it now, in
// knex_migrations_inference. A registry migrated the old way keeps its models.

const NAMES = Object.keys(INFERENCE_MIGRATIONS.migrations).sort();
const [MODELS, REPORTS] = NAMES as [string, string];

const scratches: ScratchDatabase[] = [];
async function scratch(label: string): Promise<Knex> {
  const created = await scratchDatabase(label, { max: 6 });
  scratches.push(created);
  return created.db;
}
afterAll(() => Promise.all(scratches.map((s) => s.drop())));

const recorded = async (db: Knex, table: string) =>
  ((await db(table).orderBy('id').select('name')) as Array<{ name: string }>).map((r) => r.name);

/** What the platform's set did: the registry's migrations (the first `upTo` of them) in knex_migrations. */
const oldPlatformSet = (upTo: number) => ({
  tableName: 'knex_migrations',
  migrations: Object.fromEntries(NAMES.slice(0, upTo).map((n) => [n, INFERENCE_MIGRATIONS.migrations[n]!])),
});

const model = (version: string) => ({
  version,
  params: { trees: 5 },
  featureNames: FEATURE_NAMES,
  featureSetVersion: 'fs1',
  horizon: 5,
  metrics: { heldOutRows: 10 },
  onnx: new Uint8Array([7, 7, 7]),
});

describe("the model registry's migrations", () => {
  it("build the registry on a new database, in inference's own migrations table only", async () => {
    const db = await scratch('inf_new');
    expect(await migrate(db, INFERENCE_MIGRATIONS)).toEqual(NAMES);
    expect(await recorded(db, 'knex_migrations_inference')).toEqual(NAMES);
    expect(await db.schema.hasTable('knex_migrations')).toBe(false);
    expect(await db.schema.hasColumn('models', 'report_html')).toBe(true);
    expect(await migrate(db, INFERENCE_MIGRATIONS)).toEqual([]);
  });

  it('adopt a registry the platform migrated: nothing runs twice, every model stays, two starters at once', async () => {
    const db = await scratch('inf_old');
    await migrate(db, oldPlatformSet(NAMES.length));
    const registry = new ModelRegistry(db);
    await registry.add({ ...model('rf-old'), report: { json: { version: 'rf-old' }, html: '<p>old</p>' } });
    await registry.promote('rf-old');

    const [first, second] = await Promise.all([
      migrate(db, INFERENCE_MIGRATIONS),
      migrate(db, INFERENCE_MIGRATIONS),
    ]);
    expect([...first, ...second]).toEqual([]);
    expect(await recorded(db, 'knex_migrations_inference')).toEqual(NAMES);
    expect(await registry.active()).toMatchObject({ version: 'rf-old' });
    expect(await registry.bytes('rf-old')).toEqual(new Uint8Array([7, 7, 7]));
    expect(await registry.reportHtml('rf-old')).toBe('<p>old</p>');
  });

  it('finish a registry the platform migrated only in part, keeping its rows', async () => {
    const db = await scratch('inf_part');
    await migrate(db, oldPlatformSet(1));
    // A model of that time: no report columns yet.
    const { onnx, featureNames, featureSetVersion, params, metrics, ...m } = model('rf-early');
    await db('models').insert({
      ...m,
      params: JSON.stringify(params),
      feature_names: JSON.stringify(featureNames),
      feature_set_version: featureSetVersion,
      metrics: JSON.stringify(metrics),
      sha256: 'ab'.repeat(32),
      onnx: Buffer.from(onnx),
    });

    expect(await migrate(db, INFERENCE_MIGRATIONS)).toEqual([REPORTS]);
    expect(await recorded(db, 'knex_migrations_inference')).toEqual([MODELS, REPORTS]);
    const registry = new ModelRegistry(db);
    expect((await registry.list()).map((r) => r.version)).toEqual(['rf-early']);
    expect(await registry.reportHtml('rf-early')).toBeNull();
  });
});
