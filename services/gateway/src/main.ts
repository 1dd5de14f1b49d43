import { randomUUID } from 'node:crypto';
import type { SymbolDemand } from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import {
  connectProducer,
  createAppServer,
  databaseCheck,
  redisCheck,
  createRedis,
  kafkaConnection,
  listenHttp,
  openDatabase,
  runService,
} from '@tickstream/platform';
import { createTokenService } from './auth/tokens';
import { gatewayEnv } from './config';
import { GATEWAY_MIGRATIONS } from './db';
import { FeedGate, openWhenLive } from './feed-gate';
import { createGatewayApp, rateLimitSettings } from './http';
import {
  FeedPositions,
  MarketBroadcaster,
  SnapshotStore,
  broadcastOptions,
  createMarketFeed,
  createOrderEventsFeed,
  dispatch,
  feedEnds,
  fetchOptions,
} from './market';
import { activeUsersGauge, gatewayMetrics } from './metrics';
import { inferenceApi } from './ml';
import { createCommandPublisher, ordersApi } from './orders';
import { LocalStreams } from './sockets/local-streams';
import { createSocketServer } from './sockets/server';
import { SessionRegistry } from './sockets/sessions';
import { StreamControl } from './sockets/stream-control';
import { allDemand, userWatchlistSymbols } from './watchlists';

runService('gateway', gatewayEnv, async (kit) => {
  const { config, log, life, kafka, admin, codec, names } = kit;
  const metrics = gatewayMetrics(kit.metrics);
  const replicaId = randomUUID();

  const db = await openDatabase(life, config.DATABASE_URL, GATEWAY_MIGRATIONS, { max: 10 });
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  const subscriber = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  life.onStop('redis', () => {
    redis.disconnect();
    subscriber.disconnect();
  });

  const producer = await connectProducer(kit);
  const publishDemand = async (records: SymbolDemand[]) => {
    await producer.send(
      'controlSymbols',
      records.map((r) => ({ key: r.symbol, value: r })),
    );
  };
  // Demand is recomputed from the database, so publishing it all at start repairs any change
  // that a crash kept from reaching the topic.
  await publishDemand(await allDemand(db));

  // Watchlist changes and ended sessions reach the sockets of every replica through Redis.
  const control = new StreamControl({
    redis,
    subscriber,
    keyPrefix: config.REDIS_KEY_PREFIX,
    log,
    watchedBy: (userId) => userWatchlistSymbols(db, userId),
  });

  const commands = await createCommandPublisher({
    connection: kafkaConnection(config),
    clientId: `${config.KAFKA_CLIENT_ID}-gateway`,
    codec,
    names,
    log,
    sendTimeoutMs: config.ORDER_SEND_TIMEOUT_MS,
    metrics: kit.metrics,
  });
  life.onStop('order command producer', () => commands.disconnect());

  const tokens = createTokenService({
    secret: config.JWT_SECRET,
    accessTtlSec: config.ACCESS_TOKEN_TTL_SEC,
    refreshTtlSec: config.REFRESH_TOKEN_TTL_SEC,
    db,
    onSessionEnded: (ended) => control.publish({ kind: 'session', ...ended }),
  });
  const app = createGatewayApp({
    corsOrigins: config.CORS_ORIGINS,
    webDist: config.WEB_DIST,
    api: {
      db,
      redis,
      log,
      tokens,
      masterKey: config.BROKER_KEYS_MASTER_KEY,
      alpaca: { paperUrl: config.ALPACA_TRADING_URL, liveUrl: config.ALPACA_LIVE_TRADING_URL },
      publishDemand,
      onWatchlistsChanged: (change) => control.watchlistsChanged(change),
      orders: ordersApi({ url: config.ORDERS_URL, token: config.ORDERS_SERVICE_TOKEN }),
      publishCommand: commands.publish,
      orderSendTimeoutMs: config.ORDER_SEND_TIMEOUT_MS,
      defaultRiskLimits: { ...DEFAULT_RISK_LIMITS },
      limits: rateLimitSettings(config),
      metrics: kit.metrics,
      bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
      inference: inferenceApi({ url: config.INFERENCE_URL, token: config.INFERENCE_SERVICE_TOKEN }),
      ordersPerMinute: config.RATE_ORDERS_PER_MIN,
      predictionsPerMinute: config.RATE_PREDICTIONS_PER_MIN,
      signalBand: config.ML_SIGNAL_BAND,
    },
  });

  const gate = new FeedGate({ graceMs: config.FEED_START_GRACE_MS, log });
  const server = createAppServer(
    {
      lifecycle: life,
      metrics: kit.metrics,
      checks: {
        kafka: kit.kafkaReady,
        postgres: databaseCheck(db),
        redis: redisCheck(redis),
        marketFeed: gate.ready,
      },
    },
    app,
  );

  const sessions = new SessionRegistry({
    redis,
    subscriber,
    replicaId,
    limit: config.MARKET_STREAMS_PER_USER,
    log,
  });
  await sessions.start();
  const streams = new LocalStreams({
    onStopped: (reason, symbols) => metrics.streamsStopped.inc({ reason }, symbols),
  });
  await control.start(
    (message) => streams.apply(message),
    () =>
      streams.reconcile({
        watchedBy: (userId) => userWatchlistSymbols(db, userId),
        sessionLive: (userId, sessionId) => tokens.sessionLive(userId, sessionId),
      }),
  );
  const store = new SnapshotStore(config.BARS_PER_SYMBOL);
  const io = createSocketServer(server, {
    verifyAccess: (t) => tokens.verifyAccess(t),
    allowedSymbols: (userId) => userWatchlistSymbols(db, userId),
    store,
    sessions,
    streams,
    log,
    corsOrigins: config.CORS_ORIGINS,
    maxSymbolsPerSocket: config.MAX_SYMBOLS_PER_SOCKET,
    subscribeLimit: { points: config.RATE_SOCKET_SUBSCRIBES, durationSec: config.RATE_SOCKET_WINDOW_SEC },
    accepting: () => gate.accepting,
    metrics: metrics.sockets,
  });
  activeUsersGauge(
    kit.metrics,
    () => new Set([...io.sockets.sockets.values()].map((s) => s.data.userId)).size,
  );
  const broadcaster = new MarketBroadcaster(io, store, metrics.broadcast, broadcastOptions(config));
  life.onStop('broadcaster', () => broadcaster.stop());
  // Listening now: /healthz answers while the feed catches up; /readyz says 503 until it is live.
  await listenHttp(server, config.HTTP_PORT, config.HEALTH_HOST);
  const positions = new FeedPositions();
  const feedDeps = { kafka, admin, codec, names, deadLetters: producer.producer, log, replicaId, positions };
  const feed = createMarketFeed({
    ...feedDeps,
    barHistoryMs: config.BAR_HISTORY_MS,
    fetch: fetchOptions(config),
  });
  const orderEvents = createOrderEventsFeed(feedDeps);
  for (const reader of [feed, orderEvents]) {
    await reader.start(async (records) => dispatch(broadcaster, records));
    life.onStop(reader === feed ? 'market feed' : 'order events feed', () => reader.stop());
    reader.consumer.on(reader.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) gate.markFailed(payload.error);
    });
  }
  life.onStop('http server', async () => {
    await new Promise<void>((r) => io.close(() => r()));
  });
  life.running();
  log.info({ port: config.HTTP_PORT, replicaId }, 'gateway running; market feed catching up');

  void openWhenLive(gate, {
    caughtUp: (timeoutMs) => feed.caughtUp(timeoutMs),
    ends: () => feedEnds(admin, names),
    positions,
    maxLagMs: config.FEED_READY_LAG_MS,
    stopped: () => !life.isReady,
    log,
  });
});
