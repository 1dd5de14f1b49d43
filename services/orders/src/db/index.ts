import type { MigrationSet } from '@tickstream/platform';
import { ORDERS_MIGRATION_LIST } from './migrations';

/**
 * The order service's tables (orders, order_events, fills, positions, order_accounts, outbox,
 * quote_marks, risk_limits, risk_audit, trading_controls), migrated by it alone at start.
 */
export const ORDERS_MIGRATIONS: MigrationSet = {
  tableName: 'knex_migrations_orders',
  migrations: ORDERS_MIGRATION_LIST,
};
