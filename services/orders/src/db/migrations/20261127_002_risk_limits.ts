import type { Knex } from 'knex';

// Per-account overrides of the order service's default risk limits, set by admins.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('risk_limits', (t) => {
    t.uuid('user_id').primary();
    t.jsonb('limits').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Who changed them last, for the audit trail; kept when that admin account is deleted.
    t.uuid('updated_by');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('risk_limits');
}
