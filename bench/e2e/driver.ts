// The e2e bench's market-data driver (`--driver producer`): a process of its own that writes the
// md topics at a fixed rate through the ingest service's publisher (Avro, lanes of idempotent
// producers), without the simulator: quotes and trades are drawn from a pool generated before
// the clock starts, stamped with the current time and a symbol of the step; each symbol gets a
// bar per bar interval (and `historyBars` of history at once, so features and inference start).
// The ceiling of features, inference and the gateway is then measured apart from ingest's own
// generation cost. Started by stack.ts with one JSON argument; answers /metrics and /readyz.
import http from 'node:http';
import pino from 'pino';
import type { Bar, Quote, Trade } from '@tickstream/contracts';
import { createMarketSimulator } from '@tickstream/marketdata';
import type { MarketEvent } from '@tickstream/marketdata';
import { AvroCodec, TopicNames, createKafka, createReliableProducer, prom } from '@tickstream/platform';
import { ingestMetrics } from '../../services/ingest/src/metrics';
import { MarketPublisher } from '../../services/ingest/src/publisher';

export interface DriverConfig {
  prefix: string;
  brokers: string[];
  /** The ingest user's login, when the broker has authentication. */
  sasl?: { mechanism: 'scram-sha-512'; username: string; password: string };
  registryUrl: string;
  symbols: string[];
  /** Records per second, all three topics together. */
  rate: number;
  barIntervalMs: number;
  historyBars: number;
  producers: number;
}

const POOL = 20_000;

function pool(barIntervalMs: number): (Quote | Trade)[] {
  const start = Date.now();
  const sim = createMarketSimulator({ seed: 5, barIntervalMs, startTime: start });
  for (let i = 0; i < 20; i++) sim.addSymbol(`POOL${i}`, start);
  const out: (Quote | Trade)[] = [];
  for (let t = start; out.length < POOL; ) {
    t += 10_000;
    for (const e of sim.step(t) as MarketEvent[])
      if (e.kind !== 'bar') out.push({ ...e.record, ingest_time: 0 } as Quote | Trade);
  }
  return out;
}

function bar(symbol: string, startTime: number, intervalMs: number, i: number, now: number): Bar {
  const close = 100 + Math.sin(i / 7) * 3 + (i % 5) / 10;
  return {
    symbol,
    start_time: startTime,
    interval_ms: intervalMs,
    open: close - 0.05,
    high: close + 0.1,
    low: close - 0.1,
    close,
    volume: 1000 + (i % 13) * 100,
    trade_count: 10 + (i % 7),
    vwap: close,
    is_update: false,
    ingest_time: now,
    source: 'sim',
  };
}

async function main(cfg: DriverConfig): Promise<void> {
  const log = pino({ level: 'warn' });
  const names = new TopicNames(cfg.prefix);
  const kafka = createKafka({ brokers: cfg.brokers, sasl: cfg.sasl, clientId: 'bench-driver' }, log);
  const codec = new AvroCodec({ registryUrl: cfg.registryUrl, topics: names });
  await codec.registerAll(['quotes', 'trades', 'bars']);
  const registry = new prom.Registry();
  const producers = Array.from({ length: cfg.producers }, () => createReliableProducer(kafka));
  await Promise.all(producers.map((p) => p.connect()));
  const publisher = new MarketPublisher({
    producers,
    codec,
    names,
    log,
    metrics: ingestMetrics(registry, 'bench-driver'),
    lingerMs: 0,
    maxBatch: 5000,
    maxBuffered: 200_000,
  });
  const records = pool(cfg.barIntervalMs);

  // Bars: history first, then one per symbol per interval, on the interval's boundary.
  const interval = cfg.barIntervalMs;
  let nextBarStart = Math.floor(Date.now() / interval) * interval - cfg.historyBars * interval;
  let barIndex = 0;
  const barsDue = (now: number) => {
    while (nextBarStart + interval <= now) {
      for (const s of cfg.symbols) publisher.bar(bar(s, nextBarStart, interval, barIndex, now));
      nextBarStart += interval;
      barIndex++;
    }
  };
  barsDue(Date.now());
  await publisher.flush();

  const barsPerSec = (cfg.symbols.length * 1000) / interval;
  const tickRate = Math.max(1, cfg.rate - barsPerSec);
  const t0 = Date.now();
  let sent = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const now = Date.now();
      barsDue(now);
      const due = Math.floor(((now - t0) * tickRate) / 1000) - sent;
      for (let k = 0; k < due; k++) {
        const i = sent + k;
        const r = records[i % records.length]!;
        const symbol = cfg.symbols[i % cfg.symbols.length]!;
        const rec = { ...r, symbol, event_time: now, ingest_time: now };
        if ('price' in rec) publisher.trade(rec);
        else publisher.quote(rec);
      }
      sent += Math.max(0, due);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const running = loop();

  const server = http.createServer((req, res) => {
    if (req.url === '/metrics')
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': 'text/plain' }).end(text));
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);

  process.once('SIGTERM', () => {
    stopped = true;
    void running
      .then(() => publisher.close())
      .then(() => Promise.all(producers.map((p) => p.disconnect())))
      .finally(() => {
        server.close();
        process.exit(0);
      });
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as DriverConfig).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
