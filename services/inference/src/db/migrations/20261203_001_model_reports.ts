import type { Knex } from 'knex';

// A model's whole training report (report.json) and the HTML page rendered from it at
// registration, which the gateway serves to admins. Null for models registered before.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('models', (t) => {
    t.jsonb('report');
    t.text('report_html');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('models', (t) => {
    t.dropColumn('report');
    t.dropColumn('report_html');
  });
}
