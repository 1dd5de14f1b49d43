import { createDatabase, ensureDatabase, migrate } from '../../packages/platform/src/db';
import { TEST_ENV } from '../support/env';

// Runs once before all test files: the tests' own database (never the developer's), migrated.
// Kafka and the registry are started by scripts/test.mjs.
export default async function globalSetup(): Promise<void> {
  await ensureDatabase(TEST_ENV.DATABASE_URL);
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
}
