// Order service end to end through Kafka: PLACE commands for many accounts into a unique-prefix
// orders.commands.v1, the built service (services/orders/dist, its own database) checking every
// risk limit against quotes it read from md.quotes.v1 and filling on the simulator, a consumer
// reading orders.events.v1. Phase 1 sends everything at once (orders/s); phase 2 paces commands
// well under capacity (command-to-ACCEPTED latency without queueing); phase 3 is a trader's
// path: the built gateway too, users signed up through it, each order a POST /api/orders and its
// ACCEPTED awaited on the user's socket, with the hops in between from the services' histograms.
// `npm run bench -- orders [--accounts 200] [--paced-accounts 20] [--rate 100] [--socket-accounts 10] [--socket-rate 20] [--client-ids]`
// (--client-ids: each POST carries a client_order_id, as the web's order ticket sends).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OrderCommand, OrderEvent } from '@tickstream/contracts';
import { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
import { createDatabase } from '@tickstream/platform';
import { eventually } from '../../test/support/env';
import type { KafkaTestbed } from '../../test/support/kafka';
import { kafkaTestbed } from '../../test/support/kafka';
import { quote } from '../../test/support/records';
import { startService } from '../../test/support/service-process';
import type { ServiceProcess } from '../../test/support/service-process';
import { scratchDatabase } from '../support/database';
import { backendCpu, backendCpuSince, metricValue } from './cpu';
import { runSocketPhase } from './socket-phase';
import { hopRows, scrape } from '../support/metrics';
import { benchLine, percentile, printTable } from '../support/report';
import { arg } from '../support/cli';

const ROOT = path.resolve(__dirname, '../..');
const TERMINAL = new Set<OrderEvent['type']>(['FILLED', 'REJECTED', 'CANCELED', 'EXPIRED']);
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `BO${String.fromCharCode(65 + i)}`);

interface Seen {
  acceptedAt?: number;
  acceptedEventTime?: number;
  doneAt?: number;
  outcome?: string;
}

/** New account ids: the order service keeps no users (they are the gateway's). */
function accounts(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID());
}

/** The seed's 10 orders/minute per account is itself a limit: each account sends exactly that many. */
function commands(accounts: readonly string[]): OrderCommand[] {
  return accounts.flatMap((account, a) =>
    Array.from({ length: DEFAULT_RISK_LIMITS.maxOrdersPerMinute }, (_, i): OrderCommand => ({
      command_id: randomUUID(),
      action: 'PLACE',
      account_id: account,
      order_id: randomUUID(),
      client_order_id: `bench-${i}`,
      symbol: SYMBOLS[(a + i) % SYMBOLS.length] as string,
      side: 'BUY',
      qty: 1 + (i % 3),
      order_type: 'MARKET',
      time_in_force: 'DAY',
      limit_price: null,
      stop_price: null,
      broker: 'SIM',
      issued_at: 0,
    })),
  );
}

async function send(bed: KafkaTestbed, cmds: readonly OrderCommand[]): Promise<void> {
  const now = Date.now();
  const messages = await Promise.all(
    cmds.map(async (c) => ({
      key: c.account_id,
      value: await bed.codec.encode('orderCommands', { ...c, issued_at: now }),
    })),
  );
  for (const c of cmds) c.issued_at = now;
  await bed.producer.send({ topic: bed.names.of('orderCommands'), messages });
}

/** A table row of sorted latencies: how many, p50, p99 and the largest. */
function latencyRow(measure: string, sorted: readonly number[]): (string | number)[] {
  return [measure, sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1) ?? NaN];
}

function latencies(
  cmds: readonly OrderCommand[],
  seen: Map<string, Seen>,
  pick: (s: Seen) => number | undefined,
): number[] {
  return cmds
    .flatMap((c) => {
      const at = pick(seen.get(c.order_id) ?? {});
      return at === undefined ? [] : [at - c.issued_at];
    })
    .sort((a, b) => a - b);
}

async function main() {
  if (!existsSync(path.join(ROOT, 'services/orders/dist/main.js')))
    throw new Error('build first: npx tsc -b');
  const bed = await kafkaTestbed('bench-orders');
  const database = await scratchDatabase('orders');
  const db = createDatabase(database.url, { max: 2 });
  const service = await startService('orders', {
    TOPIC_PREFIX: bed.prefix,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'error',
    CONTROLS_INTERVAL_MS: '200',
  });
  let gateway: ServiceProcess | undefined;
  const reader = bed.kafka.consumer({ groupId: `${bed.prefix}bench-reader`, maxWaitTimeInMs: 5 });
  const seen = new Map<string, Seen>();
  try {
    // Deep books: no fill is ever short of size.
    const quotes = SYMBOLS.map((symbol, i) => ({
      ...quote(symbol, 50 + i),
      bid_size: 10_000,
      ask_size: 10_000,
    }));
    await bed.producer.send({
      topic: bed.names.of('quotes'),
      messages: await Promise.all(
        quotes.map(async (q) => ({ key: q.symbol, value: await bed.codec.encode('quotes', q) })),
      ),
    });
    await eventually(
      async () =>
        Number(
          ((await db('quote_marks').whereIn('symbol', SYMBOLS).count({ n: '*' })) as Array<{ n: string }>)[0]
            ?.n,
        ) === SYMBOLS.length,
      30_000,
      'the service to read the quotes',
    );

    await reader.connect();
    await reader.subscribe({ topic: bed.names.of('orderEvents'), fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        for (const m of batch.messages) {
          const e = await bed.codec.decode('orderEvents', m.value);
          const s = seen.get(e.order_id) ?? {};
          if (e.type === 'ACCEPTED') Object.assign(s, { acceptedAt: at, acceptedEventTime: e.event_time });
          if (TERMINAL.has(e.type))
            Object.assign(s, {
              doneAt: at,
              outcome: e.type === 'REJECTED' ? `REJECTED ${e.reason_code}` : e.type,
            });
          seen.set(e.order_id, s);
        }
      },
    });
    const finished = (cmds: readonly OrderCommand[]) =>
      cmds.every((c) => seen.get(c.order_id)?.doneAt !== undefined);

    // Phase 1: everything at once.
    const burst = commands(accounts(arg('accounts', 200)));
    const [cpu0, pg0] = await Promise.all([scrape(service.port), backendCpu(db)]);
    const t0 = Date.now();
    for (let i = 0; i < burst.length; i += 500) await send(bed, burst.slice(i, i + 500));
    await eventually(() => finished(burst), 300_000, 'every burst order to finish');
    const [cpu1, pg1] = await Promise.all([scrape(service.port), backendCpu(db)]);
    const cpuMsPerOrder = (s0: number, s1: number) => ((s1 - s0) * 1000) / burst.length;
    const serviceCpuMs = cpuMsPerOrder(
      metricValue(cpu0, 'process_cpu_seconds_total'),
      metricValue(cpu1, 'process_cpu_seconds_total'),
    );
    const postgresCpuMs = cpuMsPerOrder(0, backendCpuSince(pg0, pg1));
    const lastDone = Math.max(...burst.map((c) => seen.get(c.order_id)?.doneAt ?? 0));
    const burstSec = (lastDone - t0) / 1000;
    const ordersPerSec = burst.length / burstSec;

    // Phase 2: one command at a time at half the measured capacity (at most --rate), so latency
    // is the service's and not a queue's.
    const paced = commands(accounts(arg('paced-accounts', 20)));
    const rate = Math.min(arg('rate', 100), ordersPerSec / 2);
    const gapMs = 1000 / rate;
    const t1 = Date.now();
    for (const [i, c] of paced.entries()) {
      await send(bed, [c]);
      // Against the start, not the last send, so slow sends do not lower the rate.
      await new Promise((r) => setTimeout(r, Math.max(0, t1 + (i + 1) * gapMs - Date.now())));
    }
    await eventually(() => finished(paced), 60_000, 'every paced order to finish');

    // Phase 3: through the gateway, as a trader places orders and watches them.
    gateway = await startService('gateway', {
      TOPIC_PREFIX: bed.prefix,
      REDIS_KEY_PREFIX: `${bed.prefix}:`,
      DATABASE_URL: database.url,
      RATE_SIGNUP_PER_IP: '100000',
      LOG_LEVEL: 'error',
      ORDERS_URL: `http://127.0.0.1:${service.port}`,
    });
    const socket = await runSocketPhase({
      gatewayPort: gateway.port,
      ordersPort: service.port,
      db,
      names: bed.names,
      symbols: SYMBOLS,
      accounts: arg('socket-accounts', 10),
      rate: arg('socket-rate', 20),
      clientIds: process.argv.includes('--client-ids'),
    });

    const outcomes = new Map<string, number>();
    for (const c of [...burst, ...paced]) {
      const o = seen.get(c.order_id)?.outcome ?? 'missing';
      outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    }
    const burstAcc = latencies(burst, seen, (s) => s.acceptedAt);
    const pacedAcc = latencies(paced, seen, (s) => s.acceptedAt);
    const pacedEvt = latencies(paced, seen, (s) => s.acceptedEventTime);
    const pacedDone = latencies(paced, seen, (s) => s.doneAt);
    printTable([
      ['measure', 'orders', 'p50 ms', 'p99 ms', 'max ms'],
      latencyRow('burst: command -> ACCEPTED received', burstAcc),
      latencyRow('paced: command -> ACCEPTED committed (event_time)', pacedEvt),
      latencyRow('paced: command -> ACCEPTED received', pacedAcc),
      latencyRow('paced: command -> FILLED received', pacedDone),
    ]);
    console.log(`\ntrader's path (${socket.orders} orders through the gateway, paced at ${socket.rate}/s):`);
    printTable(hopRows(socket.hops));
    console.log('');
    printTable([['outcome', 'orders'], ...[...outcomes].map(([o, n]) => [o, n])]);
    console.log(
      `\nburst: CPU per order ${serviceCpuMs.toFixed(2)} ms in the order service, ${postgresCpuMs.toFixed(2)} ms in its Postgres backends`,
    );
    console.log(
      `trader's path: POST -> outcome on the socket p50 ${socket.accepted.p50Ms} ms, p99 ${socket.accepted.p99Ms} ms over ${socket.orders} orders (goal: p99 <= 50 ms at light load)`,
    );
    const cpu = socket.cpuMsPerOrder;
    const idle = socket.idleCpuMsPerSec;
    console.log(
      `trader's path: CPU per order ${cpu.gateway.toFixed(2)} ms in the gateway, ${cpu.orders.toFixed(2)} ms in the order service, ${cpu.postgres.toFixed(2)} ms in Postgres backends (idle just before: ${idle.gateway.toFixed(0)}, ${idle.orders.toFixed(0)}, ${idle.postgres.toFixed(0)} ms per s)`,
    );
    console.log(
      `burst: ${burst.length} orders from ${burst.length / DEFAULT_RISK_LIMITS.maxOrdersPerMinute} accounts over ${SYMBOLS.length} symbols in ${burstSec.toFixed(2)} s; paced at ${rate.toFixed(1)}/s`,
    );
    // Shared machines skew this bench more than any other: say how busy this one was.
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
    benchLine('orders', {
      orders_per_s: ordersPerSec,
      p50_ms: percentile(pacedAcc, 50),
      p99_ms: percentile(pacedAcc, 99),
      burst_p99_ms: percentile(burstAcc, 99),
      socket_p50_ms: socket.accepted.p50Ms,
      socket_p99_ms: socket.accepted.p99Ms,
      commit_to_kafka_p99_ms: socket.publish.p99Ms,
      socket_202_p99_ms: socket.answered.p99Ms,
      socket_gateway_cpu_ms_per_order: cpu.gateway,
      socket_orders_cpu_ms_per_order: cpu.orders,
      socket_postgres_cpu_ms_per_order: cpu.postgres,
      service_cpu_ms_per_order: serviceCpuMs,
      postgres_cpu_ms_per_order: postgresCpuMs,
      load_avg_1m: os.loadavg()[0] ?? NaN,
    });
  } finally {
    await reader.disconnect();
    await gateway?.stop();
    await service.stop();
    await db.destroy();
    await database.drop();
    await bed.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
