import type { Knex } from 'knex';
import { migrate } from '@tickstream/platform';
import { scratchDatabase } from '../../../../test/support/scratch-db';
import { INFERENCE_MIGRATIONS } from '../../src/db';
import { ModelRegistry } from '../../src/registry';

export interface RegistryDb {
  url: string;
  db: Knex;
  registry: ModelRegistry;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file. The `models` table allows one active model, so tests
 * that promote in a shared database would steal each other's serving model.
 */
export async function registryDb(label: string): Promise<RegistryDb> {
  const scratch = await scratchDatabase(label, { max: 2 });
  await migrate(scratch.db, INFERENCE_MIGRATIONS);
  return { ...scratch, registry: new ModelRegistry(scratch.db) };
}
