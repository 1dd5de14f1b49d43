import type { Knex } from 'knex';
import * as models from './20261127_003_models';
import * as modelReports from './20261203_001_model_reports';

/**
 * The platform's own migrations (the model registry, which inference and its CLI write and the
 * gateway reads), by name; names sort in the order they apply. Each service keeps the migrations
 * of its tables (services/<name>/src/db), docs/ARCHITECTURE.md "Who owns which table".
 */
export const PLATFORM_MIGRATIONS: Record<string, Knex.Migration> = {
  '20261127_003_models': models,
  '20261203_001_model_reports': modelReports,
};
