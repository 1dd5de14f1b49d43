export { createDatabase, ensureDatabase, migrate } from './database';
export type { MigrationSet } from './database';
