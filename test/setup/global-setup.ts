import { createDatabase, ensureDatabase, migrate } from '../../packages/platform/src/db';
import { GATEWAY_MIGRATIONS } from '../../services/gateway/src/db';
import { INFERENCE_MIGRATIONS } from '../../services/inference/src/db';
import { ORDERS_MIGRATIONS } from '../../services/orders/src/db';
import { TEST_ENV } from '../support/env';

// Runs once before all test files: the tests' own database (never the developer's), migrated:
// each service's tables, as the services do at start.
// Kafka and the registry are started by scripts/test.mjs.
export default async function globalSetup(): Promise<void> {
  await ensureDatabase(TEST_ENV.DATABASE_URL);
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 1 });
  try {
    await migrate(db, GATEWAY_MIGRATIONS);
    await migrate(db, INFERENCE_MIGRATIONS);
    await migrate(db, ORDERS_MIGRATIONS);
  } finally {
    await db.destroy();
  }
}
