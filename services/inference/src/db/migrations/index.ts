import type { Knex } from 'knex';
import * as models from './20261127_003_models';
import * as modelReports from './20261203_001_model_reports';

/**
 * The model registry's migrations, by name (names sort in the order they apply). They ran from
 * the platform's shared list before (recorded in knex_migrations, adopted from there).
 */
export const INFERENCE_MIGRATION_LIST: Record<string, Knex.Migration> = {
  '20261127_003_models': models,
  '20261203_001_model_reports': modelReports,
};
