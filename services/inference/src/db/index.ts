import type { MigrationSet } from '@tickstream/platform';
import { INFERENCE_MIGRATION_LIST } from './migrations';

/**
 * The inference service's table, `models` (the model registry), migrated by it alone: at start,
 * and by the model CLI (`npm run model`) before it opens the registry.
 */
export const INFERENCE_MIGRATIONS: MigrationSet = {
  tableName: 'knex_migrations_inference',
  migrations: INFERENCE_MIGRATION_LIST,
};
