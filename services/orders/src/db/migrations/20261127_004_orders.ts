import type { Knex } from 'knex';

// The order service's state: orders with their events and fills, positions, each account's
// trading day, the transactional outbox of events to publish, platform trading controls and the
// last quote marks the gateway values positions at.
export async function up(knex: Knex): Promise<void> {
  // One row per trading account; locking it serialises every change to the account's orders,
  // positions and day state, across order-service instances.
  await knex.schema.createTable('order_accounts', (t) => {
    t.uuid('account_id').primary();
    t.string('trading_day', 10);
    t.double('realized_today').notNullable().defaultTo(0);
    t.boolean('halted_for_day').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('orders', (t) => {
    t.uuid('order_id').primary();
    t.uuid('account_id').notNullable();
    t.string('client_order_id', 128).notNullable();
    t.string('command_id', 64).notNullable();
    // Nullable: a command that failed validation is still recorded, with what it named.
    t.string('symbol', 16);
    t.string('side', 4);
    t.double('qty');
    t.string('order_type', 10);
    t.string('time_in_force', 3);
    t.double('limit_price');
    t.double('stop_price');
    t.string('broker', 8).notNullable();
    t.string('broker_order_id', 64);
    t.string('status', 16).notNullable();
    t.double('filled_qty').notNullable().defaultTo(0);
    t.double('avg_fill_price');
    t.string('reason_code', 40);
    t.text('reason');
    t.integer('last_seq').notNullable().defaultTo(0);
    // Partition of orders.commands.v1 the command came on: the instance owning that partition
    // owns the order's simulated execution.
    t.integer('command_partition').notNullable().defaultTo(0);
    // TOPIC_PREFIX of the deployment that owns the order: deployments sharing a database (tests,
    // tenants) never execute or publish each other's orders.
    t.string('scope', 64).notNullable().defaultTo('');
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['account_id', 'client_order_id']);
    t.index(['account_id', 'created_at']);
  });
  await knex.raw(
    `CREATE INDEX orders_open ON orders (account_id) WHERE status IN ('ACCEPTED', 'NEW', 'PARTIALLY_FILLED')`,
  );
  await knex.raw(
    `CREATE INDEX orders_accepted_at ON orders (account_id, accepted_at) WHERE accepted_at IS NOT NULL`,
  );

  await knex.schema.createTable('order_events', (t) => {
    t.string('event_id', 80).primary();
    t.uuid('order_id').notNullable().references('orders.order_id').onDelete('CASCADE');
    t.uuid('account_id').notNullable();
    t.integer('seq').notNullable();
    t.string('type', 16).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('event_time', { useTz: true }).notNullable();
    t.index(['order_id', 'seq']);
  });

  await knex.schema.createTable('fills', (t) => {
    t.string('fill_id', 80).primary();
    t.uuid('order_id').notNullable().references('orders.order_id').onDelete('CASCADE');
    t.uuid('account_id').notNullable();
    t.string('symbol', 16).notNullable();
    t.string('side', 4).notNullable();
    t.double('qty').notNullable();
    t.double('price').notNullable();
    t.double('realized_pnl').notNullable().defaultTo(0);
    t.timestamp('filled_at', { useTz: true }).notNullable();
    t.index(['order_id']);
  });

  await knex.schema.createTable('positions', (t) => {
    t.uuid('account_id').notNullable();
    t.string('symbol', 16).notNullable();
    t.double('qty').notNullable().defaultTo(0);
    t.double('avg_price').notNullable().defaultTo(0);
    t.double('realized_pnl').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'symbol']);
  });

  // Written in the same transaction as the state it describes, published afterwards in id order.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id').primary();
    // Full topic name, prefix included: each deployment publishes only its own rows.
    t.string('topic_id', 255).notNullable();
    t.string('record_key', 128).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL');

  await knex.schema.createTable('trading_controls', (t) => {
    t.string('id', 16).primary();
    t.boolean('kill_switch').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('updated_by');
  });
  await knex('trading_controls').insert({ id: 'global', kill_switch: false });

  await knex.schema.createTable('quote_marks', (t) => {
    t.string('symbol', 16).primary();
    t.double('bid_price').notNullable();
    t.double('ask_price').notNullable();
    t.timestamp('quote_time', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'quote_marks',
    'trading_controls',
    'outbox',
    'positions',
    'fills',
    'order_events',
    'orders',
    'order_accounts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
