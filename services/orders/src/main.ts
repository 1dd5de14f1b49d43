import { bootService, cachedCheck, createDatabase, migrate, port, runMain, startHealthServer } from '@tickstream/platform';

// The order service's process shell: configuration, database schema, health and metrics. The
// domain core (validation, risk limits, sim book, positions) lives in ./domain; consuming
// orders.commands.v1 and executing is not wired yet (see the open order-service issue).
runMain('orders', async () => {
  const kit = await bootService('orders', { HEALTH_PORT: port(9105) });
  const { config, log, life } = kit;
  const db = createDatabase(config.DATABASE_URL, { max: 4 });
  life.onStop('database', () => db.destroy());
  await migrate(db);
  const dbReady = cachedCheck(async () => {
    await db.raw('select 1');
    return true;
  });
  const health = await startHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    lifecycle: life,
    metrics: kit.metrics,
    checks: { kafka: kit.kafkaReady, postgres: dbReady },
  });
  life.onStop('health server', () => new Promise<void>((r) => health.close(() => r())));
  life.running();
  log.warn('order execution is not wired yet: orders.commands.v1 is not consumed by this build');
});
