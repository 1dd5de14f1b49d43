import type { Knex } from 'knex';
import * as riskLimits from './20261127_002_risk_limits';
import * as orders from './20261127_004_orders';
import * as exactMoneyHalts from './20261128_001_exact_money_halts';
import * as ownSchema from './20261203_002_own_schema';

/**
 * The order service's migrations, by name (names sort in the order they apply). The first three
 * ran from the platform's shared list before (recorded in knex_migrations, adopted from there);
 * they no longer declare foreign keys to the gateway's users, which the fourth drops.
 */
export const ORDERS_MIGRATION_LIST: Record<string, Knex.Migration> = {
  '20261127_002_risk_limits': riskLimits,
  '20261127_004_orders': orders,
  '20261128_001_exact_money_halts': exactMoneyHalts,
  '20261203_002_own_schema': ownSchema,
};
