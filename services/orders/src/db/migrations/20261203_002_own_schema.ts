import type { Knex } from 'knex';

// The order service's tables stop referring to the gateway's users: accounts are the gateway's,
// and a service's schema must not depend on another's (its migrations run on their own, in any
// order). Databases created since have none of these keys; this drops them where they exist.
const FOREIGN_KEYS: Array<[table: string, constraint: string]> = [
  ['risk_limits', 'risk_limits_user_id_foreign'],
  ['risk_limits', 'risk_limits_updated_by_foreign'],
  ['order_accounts', 'order_accounts_account_id_foreign'],
  ['orders', 'orders_account_id_foreign'],
  ['positions', 'positions_account_id_foreign'],
  ['trading_controls', 'trading_controls_updated_by_foreign'],
  ['risk_audit', 'risk_audit_admin_id_foreign'],
  ['risk_audit', 'risk_audit_account_id_foreign'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, constraint] of FOREIGN_KEYS)
    await knex.raw('ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??', [table, constraint]);
}

export async function down(): Promise<void> {
  // Not restored: the users table may live in another database by then.
}
