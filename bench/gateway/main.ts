// Gateway fan-out: N Socket.IO clients, each subscribed to S symbols, market data produced to
// Kafka at R quotes/s; delivered messages/s at the clients, tick-to-client latency from the
// record's ingest_time, gateway CPU and RSS — beside a bare Socket.IO server emitting the same
// conflated stream to the same number of clients in the same run. The clients run in
// `--client-procs` processes of their own (default one per 500 clients, at most 8), and share
// `--users` accounts (argon2 sign-ups are what would otherwise take the time at 10,000 clients).
// `npm run bench -- gateway [--clients 200] [--per-client 10] [--symbols 20] [--rate 2000] [--seconds 15] [--interval 250] [--users 100] [--client-procs N]`
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Quote } from '@tickstream/contracts';
import { api, signUp } from '../../test/support/gateway-client';
import { kafkaTestbed, typedProducer } from '../../test/support/kafka';
import { isolatedEnv, startService } from '../../test/support/service-process';
import { scratchDatabase } from '../support/database';
import type { Scrape } from '../support/metrics';
import { gcBetween, hopOf, hopRows, isTick, scrape, total } from '../support/metrics';
import { benchLine, printTable } from '../support/report';
import type { ClientSpec } from './clients';
import { ClientFleet } from './fleet';
import { benchQuote } from './quote-stream';
import { arg, runBench } from '../support/cli';

const CLIENTS = arg('clients', 200);
const PER_CLIENT = arg('per-client', 10);
const SYMBOLS = Array.from(
  { length: arg('symbols', 20) },
  (_, i) => `SYM${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) || ''}`,
);
const RATE = arg('rate', 2000);
const SECONDS = arg('seconds', 15);
const INTERVAL = arg('interval', 250);
const USERS = Math.min(CLIENTS, arg('users', 100));
const CLIENT_PROCS = arg('client-procs', Math.min(8, Math.ceil(CLIENTS / 500)));

const symbolsOf = (client: number) =>
  Array.from({ length: PER_CLIENT }, (_, k) => SYMBOLS[(client + k) % SYMBOLS.length]!);

/** CPU seconds and RSS of a process, from /proc. */
function usage(pid: number): { cpuSec: number; rssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSec: ticks / 100, rssMb: Number(rss) / 1024 };
}

interface RunResult {
  delivered: number;
  perSec: number;
  p50: number;
  p99: number;
  cpuPct: number;
  rssMb: number;
  /** RSS added by the connected clients, per client. */
  rssKbPerSocket: number;
}

async function measure(
  fleet: ClientFleet,
  pid: number,
  idleRssMb: number,
  drive: (stop: () => boolean) => Promise<void>,
  atStart: () => Promise<void> = async () => undefined,
): Promise<RunResult> {
  const deadline = Date.now() + SECONDS * 1000;
  const driving = drive(() => Date.now() > deadline);
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  await atStart();
  const before = usage(pid);
  const t0 = Date.now();
  fleet.count();
  await driving;
  const counted = await fleet.stop();
  const secs = (Date.now() - t0) / 1000;
  const after = usage(pid);
  return {
    delivered: counted.delivered,
    perSec: counted.delivered / secs,
    p50: counted.p50,
    p99: counted.p99,
    cpuPct: ((after.cpuSec - before.cpuSec) / secs) * 100,
    rssMb: after.rssMb,
    rssKbPerSocket: ((after.rssMb - idleRssMb) * 1024) / CLIENTS,
  };
}

/**
 * The server's CPU time per delivered message: on a shared machine the share of CPU a server
 * gets moves msgs/s from run to run; what each message costs it moves much less.
 */
const cpuPerMsg = (r: RunResult) => (r.cpuPct * 10_000) / r.perSec;

/** Quote records the gateway's consumers have read (kafka_consumer_records_total). */
/** Fetches answered to the market feed (not the order events' consumer). */
function fetches(s: Scrape): number {
  return total(s, 'kafka_consumer_fetches_total', (l) => !l.consumergroup!.includes('gateway-orders-'));
}

function quotesConsumed(s: Scrape, topic: string): number {
  return total(s, 'kafka_consumer_records_total', (labels) => labels.topic === topic);
}

/** Client i streams the symbols of user i % USERS's watchlist, on the bare server too. */
const specs = (tokens: (string | undefined)[]): ClientSpec[] =>
  Array.from({ length: CLIENTS }, (_, i) => ({ token: tokens[i % USERS], symbols: symbolsOf(i % USERS) }));

async function main() {
  const bed = await kafkaTestbed('bench-gateway');
  // Users and watchlists of its own: the tests' database may not exist (right after `npm run up`).
  const database = await scratchDatabase('gateway');
  const producer = await typedProducer(bed);
  const children: ChildProcess[] = [];
  try {
    // Baseline: bare Socket.IO.
    const bare = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'bare-server.ts'),
        SYMBOLS.join(','),
        String(RATE),
        String(INTERVAL),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(bare);
    const barePort = await new Promise<number>((resolve) =>
      bare.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    const bareFleet = ClientFleet.start(CLIENT_PROCS);
    const bareIdle = usage(bare.pid!).rssMb;
    await bareFleet.connect(`http://127.0.0.1:${barePort}`, specs([]));
    const bareResult = await measure(bareFleet, bare.pid!, bareIdle, async (stop) => {
      bare.stdin!.write('start\n');
      while (!stop()) await new Promise((r) => setTimeout(r, 100));
      bare.stdin!.write('stop\n');
    });
    await bareFleet.close();
    bare.kill();

    // The gateway, fed through Kafka.
    const gateway = await startService(
      'gateway',
      isolatedEnv(bed.prefix, {
        DATABASE_URL: database.url,
        RATE_SIGNUP_PER_IP: '100000',
        MARKET_STREAMS_PER_USER: String(Math.ceil(CLIENTS / USERS)),
        MARKET_UPDATE_INTERVAL: String(INTERVAL),
        LOG_LEVEL: 'error',
        // A preload (a CPU profiler, say), as the e2e bench passes it to its services.
        ...(process.env.BENCH_SERVICE_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
          : {}),
        // The market feed's fetch settings, to compare them (docs/BENCHMARKS.md, session 8).
        ...Object.fromEntries(
          ['MARKET_FETCH_MIN_BYTES', 'MARKET_FETCH_MAX_WAIT_MS'].flatMap((k) =>
            process.env[k] ? [[k, process.env[k]!]] : [],
          ),
        ),
      }),
    );
    const base = `http://127.0.0.1:${gateway.port}`;
    const tokens: string[] = [];
    for (let i = 0; i < USERS; i += 10) {
      tokens.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, USERS - i) }, async (_, k) => {
            const u = await signUp(base, `bench${i + k}`);
            await api(
              base,
              'POST',
              '/api/watchlists',
              { name: 'Bench', symbols: symbolsOf(i + k) },
              u.accessToken,
            );
            return u.accessToken;
          }),
        )),
      );
    }
    const fleet = ClientFleet.start(CLIENT_PROCS);
    const gatewayIdle = usage(gateway.child.pid!).rssMb;
    await fleet.connect(base, specs(tokens));
    let metrics0: Scrape | undefined;
    const gwResult = await measure(
      fleet,
      gateway.child.pid!,
      gatewayIdle,
      async (stop) => {
        let i = 0;
        while (!stop()) {
          const n = Math.round(RATE / 100);
          const now = Date.now();
          const quotes: Quote[] = Array.from({ length: n }, () => {
            const symbol = SYMBOLS[i++ % SYMBOLS.length]!;
            return benchQuote(symbol, i, now);
          });
          await producer.send(
            'quotes',
            quotes.map((q) => ({ key: q.symbol, value: q })),
          );
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      async () => {
        metrics0 = await scrape(gateway.port);
      },
    );
    const metrics1 = await scrape(gateway.port);
    const hops = [
      hopOf(
        'quote send -> gateway handler',
        metrics0!,
        metrics1,
        'kafka_consumer_record_age_seconds',
        (l) => l.topic === bed.names.of('quotes'),
      ),
      hopOf('ingest_time -> gateway emit', metrics0!, metrics1, 'gateway_tick_to_emit_seconds', isTick),
      hopOf('  of which conflation hold', metrics0!, metrics1, 'gateway_conflation_hold_seconds'),
      { hop: 'ingest_time -> client', n: gwResult.delivered, p50Ms: gwResult.p50, p99Ms: gwResult.p99 },
    ];
    // What each record read costs the gateway, sent on or not: CPU and garbage collections.
    const consumed =
      quotesConsumed(metrics1, bed.names.of('quotes')) - quotesConsumed(metrics0!, bed.names.of('quotes'));
    const gc = gcBetween(metrics0!, metrics1);
    const gwCpuSec = ((gwResult.cpuPct / 100) * gwResult.delivered) / gwResult.perSec;
    const perRecord = {
      cpu_us_per_record: (gwCpuSec * 1e6) / consumed,
      gc_per_1k_records: (gc.collections * 1000) / consumed,
      gc_ms_per_1k_records: (gc.seconds * 1e6) / consumed,
      // What the CPU per record follows: a fetch costs about as much as the few records it brings.
      records_per_fetch: consumed / Math.max(1, fetches(metrics1) - fetches(metrics0!)),
    };
    await fleet.close();
    await gateway.stop();

    // Every client getting every conflated update: one per symbol per interval while it updates.
    const fullStream = CLIENTS * PER_CLIENT * Math.min(RATE / SYMBOLS.length, 1000 / INTERVAL);
    printTable([
      [
        'server',
        'clients',
        'msgs/s delivered',
        'p50 ms',
        'p99 ms',
        'CPU %',
        'CPU µs/msg',
        'RSS MB',
        'KB/socket',
      ],
      [
        'bare Socket.IO',
        CLIENTS,
        bareResult.perSec,
        bareResult.p50,
        bareResult.p99,
        bareResult.cpuPct,
        cpuPerMsg(bareResult),
        bareResult.rssMb,
        bareResult.rssKbPerSocket,
      ],
      [
        'gateway (Kafka in)',
        CLIENTS,
        gwResult.perSec,
        gwResult.p50,
        gwResult.p99,
        gwResult.cpuPct,
        cpuPerMsg(gwResult),
        gwResult.rssMb,
        gwResult.rssKbPerSocket,
      ],
    ]);
    console.log(
      `\ngateway: ${consumed} quotes read; per quote read ${perRecord.cpu_us_per_record.toFixed(1)} µs CPU; ${gc.collections} GCs (${(gc.seconds * 1000).toFixed(0)} ms), ${perRecord.gc_per_1k_records.toFixed(2)} per 1k quotes`,
    );
    console.log('\ngateway, per hop:');
    printTable(hopRows(hops));
    console.log(
      `\n${CLIENTS} clients x ${PER_CLIENT} symbols of ${SYMBOLS.length} (${USERS} users, ${CLIENT_PROCS} client processes); ${RATE} quotes/s in; conflation interval ${INTERVAL} ms; ${SECONDS} s; full stream ${fullStream} msgs/s`,
    );
    benchLine('gateway', {
      clients: CLIENTS,
      msgs_per_s: gwResult.perSec,
      bare_msgs_per_s: bareResult.perSec,
      ratio: gwResult.perSec / bareResult.perSec,
      p50_ms: gwResult.p50,
      p99_ms: gwResult.p99,
      md_to_gateway_p50_ms: hops[0]!.p50Ms,
      md_to_gateway_p99_ms: hops[0]!.p99Ms,
      emit_p50_ms: hops[1]!.p50Ms,
      emit_p99_ms: hops[1]!.p99Ms,
      hold_p50_ms: hops[2]!.p50Ms,
      hold_p99_ms: hops[2]!.p99Ms,
      cpu_pct: gwResult.cpuPct,
      cpu_us_per_msg: cpuPerMsg(gwResult),
      bare_cpu_us_per_msg: cpuPerMsg(bareResult),
      ...perRecord,
      rss_mb: gwResult.rssMb,
      rss_kb_per_socket: gwResult.rssKbPerSocket,
      client_procs: CLIENT_PROCS,
    });
  } finally {
    for (const c of children) c.kill();
    await producer.disconnect();
    await bed.close();
    await database.drop().catch(() => undefined);
  }
}

runBench(main);
