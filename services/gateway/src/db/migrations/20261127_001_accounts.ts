import type { Knex } from 'knex';

// Users, their sessions, encrypted broker credentials and watchlists.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('email', 254).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('display_name', 80);
    t.string('role', 16).notNullable().defaultTo('trader');
    t.string('broker', 8).notNullable().defaultTo('SIM');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_lower ON users (lower(email))');

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('family_id').notNullable();
    t.string('token_hash', 128).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
    t.index(['family_id']);
  });

  await knex.schema.createTable('broker_credentials', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.string('key_id_masked', 32).notNullable();
    t.binary('ciphertext').notNullable();
    t.binary('iv').notNullable();
    t.binary('auth_tag').notNullable();
    t.string('key_version', 16).notNullable().defaultTo('v1');
    t.boolean('paper').notNullable().defaultTo(true);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('watchlists', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('name', 64).notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'name']);
  });

  await knex.schema.createTable('watchlist_symbols', (t) => {
    t.uuid('watchlist_id').notNullable().references('watchlists.id').onDelete('CASCADE');
    t.string('symbol', 12).notNullable();
    t.integer('position').notNullable();
    t.primary(['watchlist_id', 'symbol']);
    t.index(['symbol']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['watchlist_symbols', 'watchlists', 'broker_credentials', 'refresh_tokens', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
