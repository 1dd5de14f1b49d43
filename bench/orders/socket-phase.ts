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
import type { Hop } from '../support/metrics';
import { hopOf, hopOfSamples, scrape } from '../support/metrics';

/** The steps of the gateway's POST /api/orders handler (services/gateway/src/orders/steps.ts). */
const PLACE_STEPS = ['auth', 'rate_limit', 'lookup', 'publish'] as const;

export interface SocketPhase {
  orders: number;
  rate: number;
  hops: Hop[];
  accepted: Hop;
  publish: Hop;
}

export async function runSocketPhase(opts: {
  gatewayPort: number;
  ordersPort: number;
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
  const total = opts.accounts * perAccount;
  const gapMs = 1000 / opts.rate;
  const [orders0, gateway0] = await Promise.all([scrape(opts.ordersPort), scrape(opts.gatewayPort)]);
  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
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
  const [orders1, gateway1] = await Promise.all([scrape(opts.ordersPort), scrape(opts.gatewayPort)]);
  for (const u of users) u.socket.close();

  const accepted = hopOfSamples(
    'POST -> outcome on the socket',
    posted.map((p) => acceptedAt.get(p.orderId)! - p.at),
  );
  const publish = hopOf('commit -> acknowledged by Kafka', orders0, orders1, 'orders_event_publish_seconds');
  const hops = [
    hopOfSamples(
      'POST -> 202 (command published)',
      posted.map((p) => p.answeredAt - p.at),
    ),
    ...PLACE_STEPS.map((step) =>
      hopOf(
        `  gateway step: ${step}`,
        gateway0,
        gateway1,
        'gateway_order_place_step_seconds',
        (l) => l.step === step,
      ),
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
  return { orders: total, rate: opts.rate, hops, accepted, publish };
}
