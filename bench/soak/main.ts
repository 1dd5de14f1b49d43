// Soak: the platform (ingest on the simulator, features, inference, gateway with socket clients)
// at moderate load for N minutes; RSS and CPU of every service every 10 s; a verdict on memory
// growth after warm-up.
// `npm run bench -- soak [--minutes 30] [--rate 1000] [--symbols 100] [--clients 20]
//   [--warmup-min 3] [--max-growth 1.5] [--max-slope-mb-h 40]`
import type { ChildProcess } from 'node:child_process';
import { benchLine, printTable } from '../support/report';
import { openClients } from '../e2e/clients';
import { eventsPerSimSecPerSymbol } from '../e2e/load';
import { endOffsets, groupLag, sleep, slope, startIngest, startStack, symbolSet, usage } from '../e2e/stack';
import { arg, runBench } from '../support/cli';

const MINUTES = arg('minutes', 30);
const RATE = arg('rate', 1000);
const SYMBOLS = arg('symbols', 100);
const CLIENTS = arg('clients', 20);
// Heaps, JIT and Kafka buffers settle in the first minutes; growth is judged after that.
const WARMUP_MIN = arg('warmup-min', Math.min(3, MINUTES / 5));
const MAX_GROWTH = arg('max-growth', 1.5);
const MAX_SLOPE = arg('max-slope-mb-h', 40);
const SAMPLE_MS = 10_000;
const BAR_MS = 5000;

interface Sample {
  t: number;
  rss: Record<string, number>;
  cpuPct: Record<string, number>;
}

async function main() {
  const stack = await startStack('soak');
  const symbols = symbolSet('SK', SYMBOLS);
  const clients = await openClients(stack.gatewayUrls, CLIENTS, 10, symbols, 'soak');
  const speed = RATE / (eventsPerSimSecPerSymbol(BAR_MS) * SYMBOLS);
  const ingest = await startIngest(stack, { symbols, speed, barIntervalMs: BAR_MS, historyBars: 40 });
  const procs = new Map<string, ChildProcess>([
    ['ingest', ingest.child],
    ...[...stack.services].map(([n, s]) => [n, s.child] as [string, ChildProcess]),
  ]);
  const died: string[] = [];
  for (const [name, child] of procs) child.once('exit', (code) => died.push(`${name} (exit ${code})`));
  const { admin, names } = stack.bed;
  const mdTopics = [names.of('quotes'), names.of('trades'), names.of('bars')];
  const samples: Sample[] = [];
  const last = new Map([...procs].map(([n, c]) => [n, usage(c.pid!).cpuSec]));
  const t0 = Date.now();
  const md0 = await endOffsets(admin, mdTopics);
  clients.recording = true;
  try {
    while (Date.now() - t0 < MINUTES * 60_000 && died.length === 0) {
      await sleep(SAMPLE_MS);
      if (died.length > 0) break;
      const s: Sample = { t: (Date.now() - t0) / 1000, rss: {}, cpuPct: {} };
      for (const [name, child] of procs) {
        const u = usage(child.pid!);
        s.rss[name] = u.rssMb;
        s.cpuPct[name] = ((u.cpuSec - last.get(name)!) / (SAMPLE_MS / 1000)) * 100;
        last.set(name, u.cpuSec);
      }
      samples.push(s);
      // Memory a test run holds is not interesting beyond the count: keep the tail for percentiles.
      if (clients.latencies.length > 200_000) clients.latencies.splice(0, 100_000);
      if (samples.length % 6 === 0) {
        const rss = Object.entries(s.rss)
          .map(([n, v]) => `${n}=${v.toFixed(0)}`)
          .join(' ');
        process.stderr.write(
          `[soak] ${(s.t / 60).toFixed(1)} min  RSS MB ${rss}  ticks to clients ${clients.received}\n`,
        );
      }
    }
    const secs = (Date.now() - t0) / 1000;
    const mdRate = ((await endOffsets(admin, mdTopics)) - md0) / secs;
    const lagFeatures = await groupLag(admin, names.group('features'), names.of('bars'));
    const lagInference = await groupLag(admin, names.group('inference'), names.of('features'));
    const predictions = await endOffsets(admin, [names.of('predictions')]);
    clients.recording = false;

    // RSS over time, one row per ~10% of the run.
    const every = Math.max(1, Math.round(samples.length / 10));
    const services = [...procs.keys()];
    printTable([
      ['minute', ...services.map((n) => `${n} MB`)],
      ...samples
        .filter((_, i) => i % every === 0 || i === samples.length - 1)
        .map((s) => [(s.t / 60).toFixed(1), ...services.map((n) => s.rss[n] ?? NaN)]),
    ]);
    console.log('');

    const after = samples.filter((s) => s.t >= WARMUP_MIN * 60);
    let maxGrowthPct = 0;
    let pass = died.length === 0 && after.length >= 2;
    const rows: (string | number)[][] = [
      [
        'service',
        'start MB',
        'warm MB',
        'min MB',
        'max MB',
        'end MB',
        'slope MB/h',
        'end/warm',
        'avg CPU %',
        'ok',
      ],
    ];
    for (const n of services) {
      const rss = samples.map((s) => s.rss[n]!);
      const warm = after[0]?.rss[n] ?? NaN;
      const end = rss[rss.length - 1] ?? NaN;
      const mbPerHour = slope(after.map((s) => ({ x: s.t / 3600, y: s.rss[n]! })));
      const growth = end / warm;
      const ok = growth <= MAX_GROWTH && mbPerHour <= MAX_SLOPE;
      pass &&= ok;
      maxGrowthPct = Math.max(maxGrowthPct, (growth - 1) * 100);
      const cpu = samples.reduce((a, s) => a + s.cpuPct[n]!, 0) / Math.max(1, samples.length);
      rows.push([
        n,
        rss[0] ?? NaN,
        warm,
        Math.min(...rss),
        Math.max(...rss),
        end,
        mbPerHour,
        growth,
        cpu,
        ok ? 'yes' : 'NO',
      ]);
    }
    printTable(rows);
    const sorted = [...clients.latencies].sort((a, b) => a - b);
    console.log(
      `\n${secs.toFixed(0)} s at ${mdRate.toFixed(0)} market records/s (target ${RATE}) over ${SYMBOLS} symbols, ${CLIENTS} socket clients; ` +
        `${clients.received} ticks delivered (recent p50 ${sorted[Math.floor(sorted.length / 2)] ?? NaN} ms); ${predictions} predictions; ` +
        `lag at end: features ${lagFeatures}, inference ${lagInference}. Bound: end RSS <= ${MAX_GROWTH}x RSS after ${WARMUP_MIN} min warm-up and slope <= ${MAX_SLOPE} MB/h.` +
        (died.length ? ` DIED: ${died.join(', ')}` : ''),
    );
    benchLine('soak', {
      minutes: +(secs / 60).toFixed(1),
      max_rss_growth_pct: maxGrowthPct,
      verdict: pass ? 'PASS' : 'FAIL',
    });
  } finally {
    await clients.close().catch(() => undefined);
    await ingest.stop();
    await stack.close();
  }
}

runBench(main);
