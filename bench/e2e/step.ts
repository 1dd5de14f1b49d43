// One load step of the e2e bench: a fresh ingest at the speed that gives the target rate over a
// symbol set of its own (or the driver at that rate), socket clients on those symbols, then a
// timed window sampling lag and /proc once a second, and the services' latency histograms at
// its start and end for the per-hop table.
import type { Consumer } from 'kafkajs';
import type { GcTotals, Hop, Scrape } from '../support/metrics';
import { gcBetween, hopOf, hopOfSamples, isTick, scrape, total } from '../support/metrics';
import { percentile } from '../support/report';
import { openClients } from './clients';
import { eventsPerSimSecPerSymbol } from './load';
import type { Stack } from './stack';
import {
  endOffsets,
  groupLag,
  serviceOf,
  sleep,
  slope,
  startDriver,
  startIngest,
  symbolSet,
  usage,
} from './stack';

export interface StepConfig {
  tag: string;
  rate: number;
  symbols: number;
  clients: number;
  perClient: number;
  seconds: number;
  barIntervalMs: number;
  warmupMaxSec: number;
  ingestEnv?: Record<string, string>;
  /** `sim`: the ingest service with its simulator; `producer`: bench/e2e/driver.ts, no simulator. */
  driver: 'sim' | 'producer';
  /** The driver's producers (lanes). */
  driverProducers: number;
}

export interface LagTrace {
  start: number;
  end: number;
  max: number;
  /** Records per second the lag grew by (least squares over the window). */
  slopePerSec: number;
  /** Records per second arriving on the topic the group reads. */
  inputPerSec: number;
  growing: boolean;
}

export interface StepResult {
  config: StepConfig;
  speed: number;
  achievedRate: number;
  records: number;
  tickP50: number;
  tickP99: number;
  ticksDelivered: number;
  featPredP50: number;
  featPredP99: number;
  predictions: number;
  lag: Record<'features' | 'inference', LagTrace>;
  /**
   * The gateways' own groups on quotes + trades + bars, summed over replicas: diagnostic, not
   * part of `held`.
   */
  gatewayLag: { start: number; end: number; max: number };
  /** Records ingest dropped in the window (buffer full and the like), from its /metrics. */
  ingestDropped: number;
  /** Per instance; CPU µs per md record (quotes + trades + bars written in the window). */
  services: { name: string; cpuPct: number; cpuUsPerRecord: number; rssMb: number }[];
  /** Garbage collection per service (replicas summed) in the window, from nodejs_gc_duration_seconds. */
  gc: Record<string, GcTotals>;
  /**
   * Fetches answered to the gateways' market feeds in the window: what their CPU per record
   * follows (a fetch costs about as much as the few records it brings at 5k/s on a quiet machine).
   */
  gatewayFetches: number;
  held: boolean;
  /** Latency of each hop in the window, from the services' histograms and the bench's samples. */
  hops: Hop[];
}

/** Predictions' latency_ms, recorded while `recording`. */
export interface PredictionTap {
  consumer: Consumer;
  latencies: number[];
  recording: boolean;
}

function lagTrace(points: { x: number; y: number }[], inputPerSec: number, burst = 0): LagTrace {
  const ys = points.map((p) => p.y);
  const s = slope(points);
  const end = ys[ys.length - 1] ?? 0;
  // Growing: the backlog rose by more than 2% of the input per second, and ended above what
  // one second of input (or a couple of batches, or one burst: a bar boundary brings every
  // symbol's bar at once) leaves in flight anyway. Without the burst, a run whose last lag sample
  // fell on a boundary read as not held (features lag 250 = the 250 symbols' bars in flight).
  const growing = s > Math.max(1, 0.02 * inputPerSec) && end > Math.max(200, inputPerSec, burst);
  return { start: ys[0] ?? 0, end, max: Math.max(0, ...ys), slopePerSec: s, inputPerSec, growing };
}

async function droppedByIngest(port: number): Promise<number> {
  return total(await scrape(port), 'ingest_records_dropped_total');
}

export async function runStep(stack: Stack, tap: PredictionTap, cfg: StepConfig): Promise<StepResult> {
  const { admin, names } = stack.bed;
  const symbols = symbolSet(cfg.tag, cfg.symbols);
  const clients = await openClients(
    stack.gatewayUrls,
    cfg.clients,
    cfg.perClient,
    symbols,
    `e2e${cfg.tag.toLowerCase()}`,
  );
  const speed =
    cfg.driver === 'sim' ? cfg.rate / (eventsPerSimSecPerSymbol(cfg.barIntervalMs) * cfg.symbols) : 1;
  // 40 bars of history: the feature engine needs 34 before it emits, so predictions start at once.
  const ingest =
    cfg.driver === 'sim'
      ? await startIngest(stack, {
          symbols,
          speed,
          barIntervalMs: cfg.barIntervalMs,
          historyBars: 40,
          env: cfg.ingestEnv,
        })
      : await startDriver(stack, {
          symbols,
          rate: cfg.rate,
          barIntervalMs: cfg.barIntervalMs,
          historyBars: 40,
          producers: cfg.driverProducers,
        });
  const source = cfg.driver === 'sim' ? 'ingest' : 'driver';
  const ports = {
    [source]: ingest.port,
    ...Object.fromEntries([...stack.services].map(([n, svc]) => [n, svc.port])),
  };
  // By service: the replicas' histograms summed (their texts joined), as Prometheus would sum them.
  const scrapeAll = async () => {
    const scrapes = await Promise.all(
      Object.entries(ports).map(async ([n, port]) => [serviceOf(n), await scrape(port)] as const),
    );
    const out: Record<string, Scrape> = {};
    for (const [svc, sc] of scrapes) out[svc] = { text: `${out[svc]?.text ?? ''}${sc.text}\n` };
    return out;
  };
  const procs = [
    [source, ingest.child.pid!] as const,
    ...[...stack.services].map(([n, s]) => [n, s.child.pid!] as const),
  ];
  const md = [names.of('quotes'), names.of('trades'), names.of('bars')];
  const gatewayGroups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    // The market feeds' groups; the order-events feed (`gateway-orders-`) reads no md topic, and
    // groupLag counts a topic a group never committed on whole.
    .filter((g) => g.startsWith(names.group('gateway-')) && !g.startsWith(names.group('gateway-orders-')));
  const lagNow = async () => {
    let gateway = 0;
    for (const g of gatewayGroups) for (const t of md) gateway += await groupLag(admin, g, t);
    return {
      features: await groupLag(admin, names.group('features'), names.of('bars')),
      inference: await groupLag(admin, names.group('inference'), names.of('features')),
      gateway,
    };
  };
  try {
    // Warm-up: the history burst drains before the window opens.
    const warmDeadline = Date.now() + cfg.warmupMaxSec * 1000;
    await sleep(3000);
    while (Date.now() < warmDeadline) {
      const l = await lagNow();
      // The gateway rewinds and replays the burst too; its backlog would show as tick latency.
      if (l.features + l.inference < 500 && l.gateway < Math.max(1000, cfg.rate)) break;
      await sleep(1000);
    }
    const before = new Map(procs.map(([n, pid]) => [n, usage(pid)]));
    const metrics0 = await scrapeAll();
    const md0 = await endOffsets(admin, md);
    const dropped0 = await droppedByIngest(ingest.port);
    const bars0 = await endOffsets(admin, [names.of('bars')]);
    const feats0 = await endOffsets(admin, [names.of('features')]);
    const t0 = Date.now();
    clients.recording = true;
    tap.latencies = [];
    tap.recording = true;
    const lagPoints = {
      features: [] as { x: number; y: number }[],
      inference: [] as { x: number; y: number }[],
      gateway: [] as number[],
    };
    while (Date.now() - t0 < cfg.seconds * 1000) {
      await sleep(1000);
      const l = await lagNow();
      const x = (Date.now() - t0) / 1000;
      lagPoints.features.push({ x, y: l.features });
      lagPoints.inference.push({ x, y: l.inference });
      lagPoints.gateway.push(l.gateway);
    }
    clients.recording = false;
    tap.recording = false;
    const metrics1 = await scrapeAll();
    const secs = (Date.now() - t0) / 1000;
    const records = (await endOffsets(admin, md)) - md0;
    const ingestDropped = (await droppedByIngest(ingest.port)) - dropped0;
    const barsPerSec = ((await endOffsets(admin, [names.of('bars')])) - bars0) / secs;
    const featsPerSec = ((await endOffsets(admin, [names.of('features')])) - feats0) / secs;
    const services = procs.map(([name, pid]) => {
      const u = usage(pid);
      const cpuSec = u.cpuSec - before.get(name)!.cpuSec;
      return { name, cpuPct: (cpuSec / secs) * 100, cpuUsPerRecord: (cpuSec * 1e6) / records, rssMb: u.rssMb };
    });
    const marketFeed = (l: Record<string, string>) =>
      l.consumergroup!.startsWith(names.group('gateway-')) &&
      !l.consumergroup!.startsWith(names.group('gateway-orders-'));
    const gatewayFetches =
      total(metrics1.gateway!, 'kafka_consumer_fetches_total', marketFeed) -
      total(metrics0.gateway!, 'kafka_consumer_fetches_total', marketFeed);
    const gc = Object.fromEntries(Object.keys(metrics1).map((svc) => [svc, gcBetween(metrics0[svc]!, metrics1[svc]!)]));
    const ticks = clients.latencies.sort((a, b) => a - b);
    const preds = tap.latencies.sort((a, b) => a - b);
    const lag = {
      features: lagTrace(lagPoints.features, barsPerSec, cfg.symbols),
      inference: lagTrace(lagPoints.inference, featsPerSec, cfg.symbols),
    };
    const achievedRate = records / secs;
    const hop = (label: string, svc: string, name: string, match?: (l: Record<string, string>) => boolean) =>
      hopOf(label, metrics0[svc]!, metrics1[svc]!, name, match);
    const age = (group: string, ...topics: string[]) => (l: Record<string, string>) =>
      l.consumergroup!.startsWith(group) && topics.includes(l.topic!);
    // The group `svc` (named like the service) reading `topic`: from the send to its handler, and
    // the handling of one fetched batch.
    const consumed = (svc: 'features' | 'inference', topic: 'bars' | 'features') => [
      hop(
        `${topic} send -> ${svc} handler`,
        svc,
        'kafka_consumer_record_age_seconds',
        age(names.group(svc), names.of(topic)),
      ),
      hop(`  ${svc}: handle one ${topic} batch`, svc, 'kafka_consumer_batch_duration_seconds', (l) =>
        l.topic === names.of(topic),
      ),
    ];
    // The steps of one batch (features_batch_step_seconds / inference_batch_step_seconds), in
    // the order the handler takes them: where a batch's time goes.
    const steps = (svc: 'features' | 'inference', names: readonly string[]) =>
      names.map((step) =>
        hop(`    ${svc} step: ${step}`, svc, `${svc}_batch_step_seconds`, (l) => l.step === step),
      );
    const hops: Hop[] = [
      hop(`md publish (${source}: hand-off -> ack)`, source, 'ingest_publish_seconds'),
      hop(
        'md send -> gateway handler',
        'gateway',
        'kafka_consumer_record_age_seconds',
        age(names.group('gateway-'), names.of('quotes'), names.of('trades')),
      ),
      hop('ingest_time -> gateway emit', 'gateway', 'gateway_tick_to_emit_seconds', isTick),
      hop('  of which conflation hold', 'gateway', 'gateway_conflation_hold_seconds'),
      hopOfSamples('ingest_time -> client', ticks),
      ...consumed('features', 'bars'),
      ...steps('features', ['decode', 'compute', 'send_vectors', 'send_latest', 'snapshot', 'save_state']),
      hop('  features: produce vectors (ack)', 'features', 'kafka_producer_send_duration_seconds', (l) =>
        l.topic === names.of('features'),
      ),
      hop('feature computed -> vectors acked', 'features', 'features_computed_to_ack_seconds'),
      hop('feature computed -> inference handler', 'inference', 'inference_vector_age_seconds'),
      ...consumed('inference', 'features'),
      ...steps('inference', ['decode', 'score', 'publish', 'cache']),
      hop('  inference: score one batch', 'inference', 'inference_batch_seconds'),
      hop('  inference: produce predictions (ack)', 'inference', 'kafka_producer_send_duration_seconds', (l) =>
        l.topic === names.of('predictions'),
      ),
      hopOfSamples('feature -> prediction (latency_ms)', preds),
    ];
    return {
      config: cfg,
      speed,
      achievedRate,
      records,
      tickP50: percentile(ticks, 50),
      tickP99: percentile(ticks, 99),
      ticksDelivered: clients.received,
      featPredP50: percentile(preds, 50),
      featPredP99: percentile(preds, 99),
      predictions: preds.length,
      lag,
      gatewayLag: {
        start: lagPoints.gateway[0] ?? 0,
        end: lagPoints.gateway[lagPoints.gateway.length - 1] ?? 0,
        max: Math.max(0, ...lagPoints.gateway),
      },
      ingestDropped,
      services,
      gc,
      gatewayFetches,
      // Ingest has no consumer lag of its own: falling short of the target is its backlog.
      held: achievedRate >= 0.9 * cfg.rate && !lag.features.growing && !lag.inference.growing,
      hops,
    };
  } finally {
    await ingest.stop();
    await clients.close();
  }
}
