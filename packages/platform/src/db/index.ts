export { createDatabase, ensureDatabase, migrate } from './database';
