import type { MigrationSet } from '@tickstream/platform';
import { GATEWAY_MIGRATION_LIST } from './migrations';

/** The gateway's tables (users, refresh_tokens, broker_credentials, watchlists, watchlist_symbols). */
export const GATEWAY_MIGRATIONS: MigrationSet = {
  tableName: 'knex_migrations_gateway',
  migrations: GATEWAY_MIGRATION_LIST,
};
