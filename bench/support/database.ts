// Every bench that starts a service with a database gets a database of its own, created here and
// dropped at the end: the benches run right after `npm run up`, where the tests' database may not
// exist, and a shared one would leak other sessions' watchlists, models and outbox into the run.
import { randomUUID } from 'node:crypto';
import { createDatabase, ensureDatabase } from '@tickstream/platform';
import { TEST_ENV } from '../../test/support/env';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates `tickstream_bench_<label>_<random>` on the server of TEST_ENV.DATABASE_URL (empty; services migrate it). */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `tickstream_bench_${label.replace(/\W/g, '_')}_${randomUUID().slice(0, 8)}`;
  const url = new URL(TEST_ENV.DATABASE_URL);
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(TEST_ENV.DATABASE_URL);
      admin.pathname = '/postgres';
      const db = createDatabase(admin.toString(), { max: 1 });
      await db.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => db.destroy());
    },
  };
}
