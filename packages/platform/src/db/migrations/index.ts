import type { Knex } from 'knex';
import * as accounts from './20261127_001_accounts';
import * as riskLimits from './20261127_002_risk_limits';
import * as models from './20261127_003_models';
import * as orders from './20261127_004_orders';
import * as exactMoneyHalts from './20261128_001_exact_money_halts';
import * as modelReports from './20261203_001_model_reports';

/** Every migration, by name; names sort in the order they apply. */
export const MIGRATIONS: Record<string, Knex.Migration> = {
  '20261127_001_accounts': accounts,
  '20261127_002_risk_limits': riskLimits,
  '20261127_003_models': models,
  '20261127_004_orders': orders,
  '20261128_001_exact_money_halts': exactMoneyHalts,
  '20261203_001_model_reports': modelReports,
};
