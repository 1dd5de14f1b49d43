import { randomUUID } from 'node:crypto';
import type { ClientSocket } from '../support/gateway-client';
import { api, connectSocket, connected, signUp } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startService } from '../support/service-process';
import type { OrdersApiServer } from '../support/orders-api';
import { ordersApiForGateway } from '../support/orders-api';
import { FUZZ_SEED, gen } from './seeded';

const ROUTES: Array<[string, string]> = [
  ['POST', '/api/auth/signup'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/refresh'],
  ['GET', '/api/me'],
  ['PUT', '/api/me/broker'],
  ['GET', '/api/watchlists'],
  ['POST', '/api/watchlists'],
  ['GET', '/api/watchlists/:id'],
  ['PATCH', '/api/watchlists/:id'],
  ['DELETE', '/api/watchlists/:id'],
  ['PUT', '/api/watchlists/:id/symbols'],
  ['POST', '/api/watchlists/:id/symbols'],
  ['DELETE', '/api/watchlists/:id/symbols/:symbol'],
  ['PUT', '/api/broker-keys'],
  ['GET', '/api/broker-keys'],
  ['GET', '/api/risk-limits'],
  ['GET', '/api/admin/risk-limits/:id'],
  ['PUT', '/api/admin/risk-limits/:id'],
  ['POST', '/api/orders'],
  ['GET', '/api/orders'],
  ['GET', '/api/orders/:id'],
  ['DELETE', '/api/orders/:id'],
  ['GET', '/api/positions'],
  ['GET', '/api/account'],
  ['POST', '/api/admin/kill-switch'],
  ['POST', '/api/ml/predict'],
];

// Hostile REST bodies, paths and socket events from a seeded generator (FUZZ_SEED replays a
// run) against a running gateway: every answer is a JSON 4xx, never a 500 or a crash, and
// nothing of another user ever comes back.
describe(`gateway under fuzzed input (seed ${FUZZ_SEED})`, () => {
  let bed: KafkaTestbed;
  let gateway: ServiceProcess;
  let orders: OrdersApiServer;
  let base: string;
  let a: Awaited<ReturnType<typeof signUp>>;
  let secrets: string[];
  let victimIds: string[];

  beforeAll(async () => {
    bed = await kafkaTestbed('fuzz-gateway');
    // The order service's internal API, in-process: placing asks it about client order ids.
    orders = await ordersApiForGateway();
    gateway = await startService(
      'gateway',
      isolatedEnv(bed.prefix, {
        ORDERS_URL: orders.url,
        RATE_SIGNUP_PER_IP: '100000',
        RATE_LOGIN_PER_IP: '100000',
        RATE_ORDERS_PER_MIN: '100000',
      }),
    );
    base = `http://127.0.0.1:${gateway.port}`;
    a = await signUp(base, 'fuzz-a');
    const b = await signUp(base, 'fuzz-b');
    const secretName = `secret-${randomUUID()}`;
    const list = await api<{ id: string }>(
      base,
      'POST',
      '/api/watchlists',
      { name: secretName, symbols: ['ZZZZ'] },
      b.accessToken,
    );
    const order = await api<{ order_id: string }>(
      base,
      'POST',
      '/api/orders',
      { symbol: 'ZZZZ', side: 'BUY', qty: 1, type: 'MARKET', client_order_id: 'victim-1' },
      b.accessToken,
    );
    secrets = [b.user.email, secretName, b.refreshToken];
    victimIds = [list.body.id, order.body.order_id, b.user.id];
  }, 90000);

  afterAll(async () => {
    await gateway?.stop();
    await orders?.close();
    await bed?.close();
  });

  const errorCode = (text: string): unknown => {
    try {
      return (JSON.parse(text) as { code?: unknown }).code;
    } catch {
      return `not JSON: ${text.slice(0, 200)}`;
    }
  };

  async function call(
    method: string,
    path: string,
    body: string | undefined,
    token?: string,
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined || method === 'GET' ? {} : { body }),
    });
    return { status: res.status, text: await res.text() };
  }

  it('answers hostile REST requests with JSON 4xx errors and leaks nothing of another user', async () => {
    const g = gen(FUZZ_SEED);
    const raw = [
      '{',
      '[[[[',
      '{"a":'.repeat(5000),
      '['.repeat(100_000),
      'null',
      '"str"',
      '1e999999',
      '\uFEFF{}',
      JSON.stringify({ x: 'y'.repeat(20_000) }),
    ];
    for (let i = 0; i < 400; i++) {
      const [method, template] = g.pick(ROUTES);
      const param = () =>
        encodeURIComponent(
          String(
            g.pick([...victimIds, randomUUID(), '1', '-1', "1' OR '1'='1", '%', '..', 'x'.repeat(300), '株']),
          ),
        );
      const path = template.replace(':id', param).replace(':symbol', param);
      const body =
        g.int(5) === 0
          ? g.pick(raw)
          : JSON.stringify(
              g.int(3) === 0
                ? g.value()
                : Object.fromEntries(
                    [
                      'symbol',
                      'side',
                      'qty',
                      'type',
                      'name',
                      'symbols',
                      'email',
                      'password',
                      'enabled',
                      'broker',
                      'refreshToken',
                    ]
                      .filter(() => g.int(2))
                      .map((k) => [k, g.value()]),
                  ),
            );
      const token =
        g.int(10) === 0 ? g.pick(['', 'junk', `${a.accessToken}x`, a.refreshToken]) : a.accessToken;
      const what = `case ${i}: ${method} ${path.slice(0, 80)} ${body?.slice(0, 80)}`;
      const { status, text } = await call(method, path, body, token);
      expect([what, status < 500]).toEqual([what, true]);
      if (status >= 400)
        expect([what, status, errorCode(text)]).toEqual([what, status, expect.stringMatching(/^[A-Z_]+$/)]);
      for (const s of secrets) expect([what, text.includes(s)]).toEqual([what, false]);
    }
    // Still up, still serving.
    expect((await call('GET', '/api/me', undefined, a.accessToken)).status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
  }, 120000);

  it('answers hostile socket events with clean acks or ignores them, and stays up', async () => {
    const g = gen(FUZZ_SEED + 1);
    const a = await signUp(base, 'fuzz-socket');
    let socket: ClientSocket = connectSocket(base, a.accessToken);
    await connected(socket);
    for (let i = 0; i < 120; i++) {
      const event = g.pick(['subscribe', 'unsubscribe', 'subscribe', 'nonsense', '__proto__', 'toString']);
      const payload =
        g.int(3) === 0
          ? g.pick([['AAPL'], victimIds, ['ZZZZ'], Array.from({ length: 101 }, (_, k) => `S${k}`)])
          : g.value();
      const size = JSON.stringify(payload ?? null).length;
      const what = `case ${i}: ${event} ${JSON.stringify(payload ?? null).slice(0, 80)}`;
      const emit = socket.emit.bind(socket) as (ev: string, ...args: unknown[]) => void;
      const withAck = g.int(3) !== 0;
      const ack = await new Promise<unknown>((resolve) => {
        // Unknown events and ack-less emits get no answer; a short wait still lets a disconnect show.
        const t = setTimeout(() => resolve('no-ack'), withAck && event.endsWith('subscribe') ? 2000 : 150);
        if (!withAck) return emit(event, payload);
        emit(event, payload, (x: unknown) => {
          clearTimeout(t);
          resolve(x);
        });
      });
      if (ack !== 'no-ack') {
        expect([what, ack]).toEqual([what, expect.objectContaining({ ok: expect.any(Boolean) })]);
        // Another user's symbol (ZZZZ is only on B's list) is never granted.
        expect([what, JSON.stringify(ack).includes('"ZZZZ"') && (ack as { ok: boolean }).ok]).toEqual([
          what,
          false,
        ]);
      }
      if (!socket.connected) {
        // Only a frame over the 16 KiB limit, or one Socket.IO's parser refuses (an event named
        // __proto__), may cost the sender its own connection.
        expect([what, size > 16 * 1024 || event === '__proto__']).toEqual([what, true]);
        socket.close();
        socket = connectSocket(base, a.accessToken);
        await connected(socket);
      }
    }
    await api(base, 'POST', '/api/watchlists', { name: 'Fuzz', symbols: ['AAPL'] }, a.accessToken);
    expect(await socket.timeout(5000).emitWithAck('subscribe', ['AAPL'])).toMatchObject({ ok: true });
    socket.close();
    expect(gateway.child.exitCode).toBeNull();
  }, 120000);
});
