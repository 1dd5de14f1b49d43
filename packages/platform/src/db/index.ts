export { createDatabase, ensureDatabase, migrate, PLATFORM_MIGRATION_SET } from './database';
export type { MigrationSet } from './database';
