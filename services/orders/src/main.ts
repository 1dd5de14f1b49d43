import express from 'express';
import {
  closeOnStop,
  createAppServer,
  databaseCheck,
  listenHttp,
  openDatabase,
  runService,
} from '@tickstream/platform';
import { INTERNAL_API_PATH, INTERNAL_KEEP_ALIVE_MS, internalApi } from './api';
import { ordersEnv } from './config';
import { ORDERS_MIGRATIONS } from './db';
import { startOrderService } from './service';

runService('orders', ordersEnv, async (kit) => {
  const { config, log, life } = kit;
  const db = await openDatabase(life, config.DATABASE_URL, ORDERS_MIGRATIONS, {
    max: 4 + 2 * config.COMMAND_CONCURRENCY,
  });
  // Live (/healthz) from here; ready (/readyz) once the `orders` group has taken this member in,
  // which right after a crash waits for the dead member's Kafka session to expire. The same port
  // serves metrics and the internal API the gateway asks (orders, positions, risk controls).
  const app = express();
  app.use(INTERNAL_API_PATH, internalApi({ db, log, serviceToken: config.ORDERS_SERVICE_TOKEN }));
  const server = createAppServer(
    { lifecycle: life, metrics: kit.metrics, checks: { kafka: kit.kafkaReady, postgres: databaseCheck(db) } },
    app,
  );
  server.keepAliveTimeout = INTERNAL_KEEP_ALIVE_MS;
  // Above the idle timeout, so no header timer ends a kept connection before the idle one does.
  server.headersTimeout = INTERNAL_KEEP_ALIVE_MS + 1000;
  await listenHttp(server, config.HEALTH_PORT, config.HEALTH_HOST);
  closeOnStop(life, 'http server', server);

  const service = await startOrderService({
    kafka: kit.kafka,
    admin: kit.admin,
    codec: kit.codec,
    names: kit.names,
    db,
    log,
    registry: kit.metrics,
    masterKey: config.BROKER_KEYS_MASTER_KEY,
    alpaca: { tradingUrl: config.ALPACA_TRADING_URL, streamUrl: config.ALPACA_TRADING_STREAM_URL },
    quoteWarmupMs: config.QUOTE_WARMUP_MS,
    controlsIntervalMs: config.CONTROLS_INTERVAL_MS,
    outboxRetentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000,
    commandConcurrency: config.COMMAND_CONCURRENCY,
    hooks:
      config.ORDERS_FAULT_POINT === 'after-commit'
        ? {
            committed: (events) => {
              if (events.some((e) => e.type === 'ACCEPTED')) process.kill(process.pid, 'SIGKILL');
            },
          }
        : {},
  });
  life.onStop('order service', () => service.stop());

  life.running();
  log.info({ port: config.HEALTH_PORT }, 'order service running');
});
