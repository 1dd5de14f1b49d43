import type http from 'node:http';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { MigrationSet } from './db';
import { createDatabase, migrate } from './db';
import { TypedProducer } from './kafka/producer';
import type { Lifecycle } from './lifecycle';
import type { ServiceKit } from './service';

type KafkaParts = Pick<ServiceKit<z.ZodRawShape>, 'kafka' | 'codec' | 'names' | 'life'>;

/**
 * The service's database, migrated, closed on stop.
 *
 * @example
 *   const db = await openDatabase(life, config.DATABASE_URL, ORDERS_MIGRATIONS, { max: 4 });
 */
export async function openDatabase(
  life: Lifecycle,
  databaseUrl: string,
  migrations: MigrationSet,
  pool: { max: number },
): Promise<Knex> {
  const db = createDatabase(databaseUrl, pool);
  life.onStop('database', () => db.destroy());
  await migrate(db, migrations);
  return db;
}

/**
 * A typed producer on the service's Kafka client, connected, disconnected on stop.
 *
 * @example
 *   const producer = await connectProducer(kit);
 */
export async function connectProducer(kit: KafkaParts, name = 'producer'): Promise<TypedProducer> {
  const producer = new TypedProducer(kit.kafka, kit.codec, kit.names);
  await producer.connect();
  kit.life.onStop(name, () => producer.disconnect());
  return producer;
}

/**
 * Closes the server when the service stops.
 *
 * @example
 *   closeOnStop(life, 'health server', await startHealthServer({ ... }));
 */
export function closeOnStop(life: Lifecycle, name: string, server: http.Server): void {
  life.onStop(name, () => new Promise<void>((r) => server.close(() => r())));
}
