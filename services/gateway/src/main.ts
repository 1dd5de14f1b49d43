import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SymbolDemand } from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS, DEFAULT_SIGNAL_BAND } from '@tickstream/contracts';
import {
  TypedProducer,
  answerHealth,
  bootService,
  databaseCheck,
  redisCheck,
  createDatabase,
  createRedis,
  kafkaConnection,
  migrate,
  port,
  positiveInt,
  prom,
  runMain,
} from '@tickstream/platform';
import express from 'express';
import { z } from 'zod';
import { createTokenService } from './auth/tokens';
import { apiEnv, applySecurity, createApiRouter, rateLimitSettings, serveWebClient } from './http';
import {
  FeedPositions,
  MarketBroadcaster,
  SnapshotStore,
  broadcastOptions,
  createMarketFeed,
  dispatch,
  feedEnds,
  marketEnv,
  waitUntilLive,
} from './market';
import { DEFAULT_SEND_TIMEOUT_MS, createCommandPublisher } from './orders';
import { LocalStreams } from './sockets/local-streams';
import { createSocketServer } from './sockets/server';
import { SessionRegistry } from './sockets/sessions';
import { StreamControl } from './sockets/stream-control';
import { allDemand, userWatchlistSymbols } from './watchlists';

runMain('gateway', async () => {
  const kit = await bootService('gateway', {
    ...apiEnv,
    ...marketEnv,
    HTTP_PORT: port(8080),
    MARKET_STREAMS_PER_USER: positiveInt(1),
    MAX_SYMBOLS_PER_SOCKET: positiveInt(100),
    // Bars per snapshot: about 270 bytes of JSON each, so the cap bounds a snapshot at ~540 KB.
    BARS_PER_SYMBOL: z.coerce.number().int().positive().max(2000).default(500),
    BAR_HISTORY_MS: positiveInt(6 * 3600 * 1000),
    RATE_SOCKET_SUBSCRIBES: positiveInt(30),
    RATE_SOCKET_WINDOW_SEC: positiveInt(10),
    FEED_READY_LAG_MS: positiveInt(1000),
    FEED_START_GRACE_MS: positiveInt(30_000),
    WEB_DIST: z.string().default(path.resolve(__dirname, '../../../web/dist')),
    INFERENCE_URL: z.string().url().default('http://127.0.0.1:9103'),
    // The report of the model inference serves when the registry has none (its MODEL_FILE's).
    MODEL_REPORT_FILE: z.string().default(path.resolve(__dirname, '../../../models/default/report.json')),
    // Where stored Alpaca keys are checked; the paper URL is the order service's ALPACA_TRADING_URL.
    ALPACA_TRADING_URL: z.string().url().default('https://paper-api.alpaca.markets'),
    ALPACA_LIVE_TRADING_URL: z.string().url().default('https://api.alpaca.markets'),
    ML_SIGNAL_BAND: z.coerce.number().min(0).max(0.5).default(DEFAULT_SIGNAL_BAND),
    ORDER_SEND_TIMEOUT_MS: positiveInt(DEFAULT_SEND_TIMEOUT_MS),
  });
  const { config, log, life, kafka, admin, codec, names } = kit;
  const replicaId = randomUUID();

  const db = createDatabase(config.DATABASE_URL, { max: 10 });
  life.onStop('database', () => db.destroy());
  await migrate(db);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  const subscriber = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  life.onStop('redis', () => {
    redis.disconnect();
    subscriber.disconnect();
  });

  const producer = new TypedProducer(kafka, codec, names);
  await producer.connect();
  life.onStop('producer', () => producer.disconnect());
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
  const app = express();
  app.disable('x-powered-by');
  applySecurity(app, { corsOrigins: config.CORS_ORIGINS });
  app.use(
    '/api',
    createApiRouter({
      db,
      redis,
      log,
      tokens,
      masterKey: config.BROKER_KEYS_MASTER_KEY,
      alpaca: { paperUrl: config.ALPACA_TRADING_URL, liveUrl: config.ALPACA_LIVE_TRADING_URL },
      publishDemand,
      onWatchlistsChanged: (change) => control.watchlistsChanged(change),
      publishCommand: commands.publish,
      orderSendTimeoutMs: config.ORDER_SEND_TIMEOUT_MS,
      defaultRiskLimits: { ...DEFAULT_RISK_LIMITS },
      limits: rateLimitSettings(config),
      metrics: kit.metrics,
      bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
      inferenceUrl: config.INFERENCE_URL,
      ordersPerMinute: config.RATE_ORDERS_PER_MIN,
      predictionsPerMinute: config.RATE_PREDICTIONS_PER_MIN,
      modelReportFile: config.MODEL_REPORT_FILE,
      signalBand: config.ML_SIGNAL_BAND,
    }),
  );
  if (fs.existsSync(config.WEB_DIST)) {
    serveWebClient(app, config.WEB_DIST);
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('Tickstream gateway: the web client is not built yet. REST: /api/openapi.json');
    });
  }

  // Ready means streams flow: the market feed has read its history and keeps up with the
  // topics (market/readiness.ts), and has not crashed for good since.
  const feedState = { live: false, failed: false };
  const redisReady = redisCheck(redis);
  const dbReady = databaseCheck(db);
  const healthOpts = {
    lifecycle: life,
    metrics: kit.metrics,
    checks: {
      kafka: kit.kafkaReady,
      postgres: dbReady,
      redis: redisReady,
      marketFeed: () => feedState.live && !feedState.failed,
    },
  };
  const server = http.createServer((req, res) => {
    answerHealth(healthOpts, req, res)
      .then((handled) => {
        if (!handled) app(req, res);
      })
      .catch(() => res.writeHead(500).end());
  });

  const sessions = new SessionRegistry({
    redis,
    subscriber,
    replicaId,
    limit: config.MARKET_STREAMS_PER_USER,
    log,
  });
  await sessions.start();
  const stopped = new prom.Counter({
    name: 'gateway_streams_stopped_total',
    help: 'Symbol streams the gateway stopped itself (unsubscribed events), by reason',
    labelNames: ['reason'] as const,
    registers: [kit.metrics],
  });
  const streams = new LocalStreams({ onStopped: (reason, symbols) => stopped.inc({ reason }, symbols) });
  await control.start(
    (message) => streams.apply(message),
    () =>
      streams.reconcile({
        watchedBy: (userId) => userWatchlistSymbols(db, userId),
        sessionLive: (userId, sessionId) => tokens.sessionLive(userId, sessionId),
      }),
  );
  // Sockets are taken once the feed is live (warm snapshots, live quotes), or after the grace
  // period whatever the feed's state, as a replica that never catches up must still serve.
  let accept!: () => void;
  const accepting = new Promise<void>((resolve) => (accept = resolve));
  const grace = setTimeout(() => {
    if (!feedState.live)
      log.warn({ graceMs: config.FEED_START_GRACE_MS }, 'market feed not live yet: taking sockets anyway');
    accept();
  }, config.FEED_START_GRACE_MS);
  grace.unref();
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
    accepting: () => accepting,
    metrics: {
      connected: new prom.Gauge({
        name: 'gateway_connected_sockets',
        help: 'Socket.IO connections on this replica',
        registers: [kit.metrics],
      }),
      lookups: new prom.Counter({
        name: 'gateway_watchlist_lookups_total',
        help: 'Watchlist lookups made for socket subscribes (cached per socket until the watchlists change)',
        registers: [kit.metrics],
      }),
      rateLimited: new prom.Counter({
        name: 'gateway_socket_rate_limited_total',
        help: 'Socket subscribes and unsubscribes refused by the per-connection rate limit',
        registers: [kit.metrics],
      }),
    },
  });
  new prom.Gauge({
    name: 'gateway_active_users',
    help: 'Distinct signed-in users with at least one socket on this replica',
    registers: [kit.metrics],
    collect() {
      this.set(new Set([...io.sockets.sockets.values()].map((s) => s.data.userId)).size);
    },
  });
  const broadcaster = new MarketBroadcaster(
    io,
    store,
    {
      sent: new prom.Counter({
        name: 'gateway_messages_sent_total',
        help: 'Socket messages sent, by event',
        labelNames: ['event'] as const,
        registers: [kit.metrics],
      }),
      conflated: new prom.Counter({
        name: 'gateway_messages_conflated_total',
        help: 'Quotes and trades superseded within a conflation interval',
        registers: [kit.metrics],
      }),
      dropped: new prom.Counter({
        name: 'gateway_messages_dropped_total',
        help: 'Messages skipped for slow clients, by event',
        labelNames: ['event'] as const,
        registers: [kit.metrics],
      }),
      tickToEmit: new prom.Histogram({
        name: 'gateway_tick_to_emit_seconds',
        help: 'From ingest time to the socket emit',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [kit.metrics],
      }),
    },
    broadcastOptions(config),
  );
  life.onStop('broadcaster', () => broadcaster.stop());
  // Listening now: /healthz answers while the feed catches up; /readyz says 503 until it is live.
  await new Promise<void>((resolve) => server.listen(config.HTTP_PORT, config.HEALTH_HOST, resolve));
  const positions = new FeedPositions();
  const feed = createMarketFeed({
    kafka,
    admin,
    codec,
    names,
    deadLetters: producer.producer,
    log,
    replicaId,
    barHistoryMs: config.BAR_HISTORY_MS,
    broadcaster,
    positions,
  });
  await feed.start(async (records) => dispatch(broadcaster, records));
  life.onStop('market feed', () => feed.stop());
  feed.consumer.on(feed.consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    feedState.failed = true;
    log.error({ err: payload.error }, 'market feed stopped for good: not ready');
  });
  life.onStop('http server', async () => {
    await new Promise<void>((r) => io.close(() => r()));
  });
  life.running();
  log.info({ port: config.HTTP_PORT, replicaId }, 'gateway running; market feed catching up');

  const started = Date.now();
  void waitUntilLive({
    historyRead: async () => {
      const read = await feed.caughtUp(5000);
      if (!read) log.info({ elapsedMs: Date.now() - started }, 'still reading market history');
      return read;
    },
    ends: () => feedEnds(admin, names),
    positions,
    maxLagMs: config.FEED_READY_LAG_MS,
    stopped: () => !life.isReady,
    onRound: ({ tookMs }) => {
      if (tookMs > config.FEED_READY_LAG_MS)
        log.info({ tookMs, maxLagMs: config.FEED_READY_LAG_MS }, 'market feed still behind the topics');
    },
    onError: (err) => log.warn({ err }, 'could not read the feed topics’ end offsets; retrying'),
  }).then((live) => {
    if (!live) return;
    feedState.live = true;
    clearTimeout(grace);
    accept();
    log.info({ tookMs: Date.now() - started }, 'market feed live: ready');
  });
});
