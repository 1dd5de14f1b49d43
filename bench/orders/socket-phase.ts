// Phase 3 of the orders bench: a trader's path. Users sign up through the built gateway, each
// holds a socket; orders are POSTed to /api/orders at a steady pace, and the time from the POST
// to ACCEPTED on the user's socket is measured, beside the hops in between read from the order
// service's and the gateway's histograms over the same window.
import { randomUUID } from 'node:crypto';
import type { OrderEvent } from '@tickstream/contracts';
import type { TopicNames } from '@tickstream/platform';
import type { ClientSocket } from '../../test/support/gateway-client';
import { api, connectSocket, connected, signUp } from '../../test/support/gateway-client';
import { eventually } from '../../test/support/env';
import type { Knex } from 'knex';
import type { Hop, Scrape } from '../support/metrics';
import { hopOf, hopOfSamples, scrape, total } from '../support/metrics';
import { backendCpu, backendCpuSince } from './cpu';

/** The steps of the gateway's POST /api/orders handler (services/gateway/src/orders/steps.ts). */
const PLACE_STEPS = ['auth', 'rate_limit', 'lookup', 'publish'] as const;

/** How long the services' idle CPU is measured before the phase. */
const IDLE_WINDOW_MS = 3000;

/** The order service's route the gateway's lookup of a client order id asks. */
const LOOKUP_ROUTE = '/internal/v1/accounts/:accountId/client-orders/:clientOrderId';

export interface SocketPhase {
  orders: number;
  rate: number;
  hops: Hop[];
  accepted: Hop;
  /** POST -> 202. */
  answered: Hop;
  publish: Hop;
  /** CPU milliseconds per order of the phase in the gateway, the order service and Postgres. */
  cpuMsPerOrder: { gateway: number; orders: number; postgres: number };
  /**
   * CPU milliseconds per second the same spend idle (timers, polls), just before the phase: a
   * share of the per-order figures at a light pace.
   */
  idleCpuMsPerSec: { gateway: number; orders: number; postgres: number };
}

export async function runSocketPhase(opts: {
  gatewayPort: number;
  ordersPort: number;
  /** The database both services use: its backends' CPU is counted. */
  db: Knex;
  names: TopicNames;
  symbols: readonly string[];
  accounts: number;
  /** Orders per second, all users together. */
  rate: number;
  /** Orders per user; the default risk limits and the gateway allow 10 a minute. */
  perAccount?: number;
  /**
   * Send a client_order_id with each order, as the web's order ticket does (the gateway then asks
   * the order service whether it names an order); without one the gateway makes one up.
   */
  clientIds?: boolean;
}): Promise<SocketPhase> {
  const base = `http://127.0.0.1:${opts.gatewayPort}`;
  const perAccount = opts.perAccount ?? 10;
  const users: { token: string; socket: ClientSocket }[] = [];
  const acceptedAt = new Map<string, number>();
  for (let i = 0; i < opts.accounts; i++) {
    const u = await signUp(base, `bench-socket${i}`);
    const socket = connectSocket(base, u.accessToken);
    await connected(socket);
    socket.on('order_event', (e: OrderEvent) => {
      if (e.type === 'ACCEPTED' || e.type === 'REJECTED') acceptedAt.set(e.order_id, Date.now());
    });
    users.push({ token: u.accessToken, socket });
  }
  const posted: { orderId: string; at: number; answeredAt: number }[] = [];
  const count = opts.accounts * perAccount;
  const gapMs = 1000 / opts.rate;
  const readings = () =>
    Promise.all([scrape(opts.ordersPort), scrape(opts.gatewayPort), backendCpu(opts.db)] as const);
  const [ordersIdle, gatewayIdle, pgIdle] = await readings();
  const idleFrom = Date.now();
  await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
  const [orders0, gateway0, pg0] = await readings();
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length]!;
    const at = Date.now();
    const { body } = await api<{ order_id: string }>(
      base,
      'POST',
      '/api/orders',
      {
        ...(opts.clientIds ? { client_order_id: randomUUID() } : {}),
        symbol: opts.symbols[i % opts.symbols.length],
        side: 'BUY',
        qty: 1,
        type: 'MARKET',
      },
      user.token,
    );
    posted.push({ orderId: body.order_id, at, answeredAt: Date.now() });
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i + 1) * gapMs - Date.now())));
  }
  await eventually(
    () => posted.every((p) => acceptedAt.has(p.orderId)),
    60_000,
    'every order answered on its socket',
  );
  const [orders1, gateway1, pg1] = await readings();
  for (const u of users) u.socket.close();

  const accepted = hopOfSamples(
    'POST -> outcome on the socket',
    posted.map((p) => acceptedAt.get(p.orderId)! - p.at),
  );
  const publish = hopOf('commit -> acknowledged by Kafka', orders0, orders1, 'orders_event_publish_seconds');
  const answered = hopOfSamples(
    'POST -> 202 (command published)',
    posted.map((p) => p.answeredAt - p.at),
  );
  const hops = [
    answered,
    ...PLACE_STEPS.map((step) =>
      hopOf(
        `  gateway step: ${step}`,
        gateway0,
        gateway1,
        'gateway_order_place_step_seconds',
        (l) => l.step === step,
      ),
    ),
    hopOf(
      '  orders: lookup served',
      orders0,
      orders1,
      'http_server_request_duration_seconds',
      (l) => l.route === LOOKUP_ROUTE,
    ),
    hopOf(
      'command send -> orders handler',
      orders0,
      orders1,
      'kafka_consumer_record_age_seconds',
      (l) => l.topic === opts.names.of('orderCommands'),
    ),
    hopOf('command -> ACCEPTED committed', orders0, orders1, 'orders_command_to_accepted_seconds'),
    publish,
    hopOf('command -> outcome on Kafka', orders0, orders1, 'orders_command_to_event_seconds'),
    hopOf(
      'event send -> gateway handler',
      gateway0,
      gateway1,
      'kafka_consumer_record_age_seconds',
      (l) => l.topic === opts.names.of('orderEvents'),
    ),
    accepted,
  ];
  const idleSec = (t0 - idleFrom) / 1000;
  const cpu = (before: Scrape, after: Scrape) =>
    (total(after, 'process_cpu_seconds_total') - total(before, 'process_cpu_seconds_total')) * 1000;
  const cpuMsPerOrder = {
    gateway: cpu(gateway0, gateway1) / count,
    orders: cpu(orders0, orders1) / count,
    postgres: (backendCpuSince(pg0, pg1) * 1000) / count,
  };
  const idleCpuMsPerSec = {
    gateway: cpu(gatewayIdle, gateway0) / idleSec,
    orders: cpu(ordersIdle, orders0) / idleSec,
    postgres: (backendCpuSince(pgIdle, pg0) * 1000) / idleSec,
  };
  return {
    orders: count,
    rate: opts.rate,
    hops,
    accepted,
    answered,
    publish,
    cpuMsPerOrder,
    idleCpuMsPerSec,
  };
}
