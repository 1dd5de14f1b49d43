import { randomUUID } from 'node:crypto';
import {
  TypedConsumer,
  consumerContext,
  closeOnStop,
  createReliableProducer,
  runService,
  startHealthServer,
} from '@tickstream/platform';
import { ingestEnv } from './config';
import { SymbolDemandTable } from './demand';
import { ingestMetrics } from './metrics';
import { MarketPublisher } from './publisher';
import { createSource } from './source-factory';

runService('ingest', ingestEnv, async (kit) => {
  const { config, log, life, kafka, codec, names } = kit;
  const metrics = ingestMetrics(kit.metrics, config.INGEST_SOURCE);

  const producers = Array.from({ length: config.INGEST_PRODUCERS }, () => createReliableProducer(kafka));
  await Promise.all(producers.map((p) => p.connect()));
  life.onStop('producers', () => Promise.all(producers.map((p) => p.disconnect())).then(() => undefined));
  const producer = producers[0]!;
  const publisher = new MarketPublisher({
    producers,
    codec,
    names,
    log,
    metrics,
    lingerMs: config.INGEST_LINGER_MS,
    maxBatch: config.INGEST_MAX_BATCH,
    maxBuffered: config.INGEST_MAX_BUFFERED,
  });
  life.onStop('publisher', () => publisher.close());

  const demand = new SymbolDemandTable(config.DEFAULT_SYMBOLS);
  const source = createSource(config, publisher, log, metrics);
  await source.setSymbols(demand.wanted());
  metrics.symbols.set(demand.wanted().length);
  await source.start();
  life.onStop('source', () => source.stop());

  // Symbols some watchlist needs: every ingest instance reads the whole compacted table.
  const demandReader = new TypedConsumer({
    ...consumerContext(kit),
    groupId: `ingest-demand-${randomUUID()}`,
    topics: ['controlSymbols'],
    deadLetters: producer,
  });
  await demandReader.start(async (records) => {
    let changed = false;
    for (const r of records) changed = demand.apply(r.value.symbol, r.value) || changed;
    if (changed) {
      const wanted = demand.wanted();
      log.info({ symbols: wanted.length }, 'symbol demand changed');
      metrics.symbols.set(wanted.length);
      await source.setSymbols(wanted);
    }
  });
  life.onStop('demand reader', () => demandReader.stop());

  const health = await startHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    lifecycle: life,
    metrics: kit.metrics,
    checks: {
      kafka: kit.kafkaReady,
      feed: () => source.state === 'running' || source.state === 'reconnecting',
    },
  });
  closeOnStop(life, 'health server', health);
  life.running();
  log.info({ source: config.INGEST_SOURCE, symbols: demand.wanted() }, 'ingest running');
});
