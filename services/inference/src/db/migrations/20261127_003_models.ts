import type { Knex } from 'knex';

// The model registry: every trained model with its evaluation, and which one serves.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('models', (t) => {
    t.string('version', 64).primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('params').notNullable();
    t.jsonb('feature_names').notNullable();
    t.string('feature_set_version', 16).notNullable();
    t.integer('horizon').notNullable();
    t.jsonb('metrics').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('onnx').notNullable();
    t.string('status', 16).notNullable().defaultTo('candidate');
    t.timestamp('promoted_at', { useTz: true });
  });
  // At most one active model.
  await knex.raw("CREATE UNIQUE INDEX models_one_active ON models (status) WHERE status = 'active'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('models');
}
