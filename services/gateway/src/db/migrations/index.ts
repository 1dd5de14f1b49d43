import type { Knex } from 'knex';
import * as accounts from './20261127_001_accounts';

/**
 * The gateway's migrations, by name (names sort in the order they apply). The first ran from the
 * platform's shared list before (recorded in knex_migrations, adopted from there).
 */
export const GATEWAY_MIGRATION_LIST: Record<string, Knex.Migration> = {
  '20261127_001_accounts': accounts,
};
