import { randomUUID } from 'node:crypto';
import type { OrderEvent, Quote } from '@tickstream/contracts';
import { SignJWT } from 'jose';
import { TEST_SECRETS, eventually } from '../../../../test/support/env';
import type { ClientSocket } from '../../../../test/support/gateway-client';
import { api, connectSocket, connected, signUp } from '../../../../test/support/gateway-client';
import { orderEvent } from '../../../../test/support/order-commands';
import { quote } from '../support/records';
import type { ReplicaPair } from './replica-pair';
import { startReplicaPair } from './replica-pair';

const SECRET = TEST_SECRETS.JWT_SECRET;

function connectError(socket: ClientSocket): Promise<{ message: string; data?: { code: string } }> {
  return new Promise((resolve) => socket.once('connect_error', (err) => resolve(err as never)));
}

// Two gateway replicas on one Kafka prefix and one Redis prefix, with users on each.
describe('gateway sockets', () => {
  let pair: ReplicaPair;

  beforeAll(async () => {
    pair = await startReplicaPair('gateway-sockets', {
      MARKET_UPDATE_INTERVAL: '250',
      JWT_SECRET: SECRET,
    });
  }, 120000);

  afterAll(() => pair?.close());

  async function userWith(base: string, symbols: string[]) {
    const user = await signUp(base, 'sock');
    await api(base, 'POST', '/api/watchlists', { name: 'Main', symbols }, user.accessToken);
    const socket = connectSocket(base, user.accessToken);
    pair.sockets.push(socket);
    await connected(socket);
    return { user, socket };
  }

  it('refuses a socket without a token, with an expired token and with a tampered token', async () => {
    const none = connectSocket(pair.g1, undefined);
    pair.sockets.push(none);
    expect((await connectError(none)).data?.code).toBe('UNAUTHORIZED');

    const { user } = await userWith(pair.g1, ['AAPL']);
    const expired = await new SignJWT({ role: 'trader', sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.user.id)
      .setIssuer('tickstream-gateway')
      .setAudience('tickstream-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    const late = connectSocket(pair.g1, expired);
    pair.sockets.push(late);
    expect((await connectError(late)).data?.code).toBe('TOKEN_EXPIRED');

    const [h, p, s] = user.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
    const tampered = connectSocket(pair.g1, forged);
    pair.sockets.push(tampered);
    expect((await connectError(tampered)).data?.code).toBe('UNAUTHORIZED');
  });

  it('streams each user only the symbols of their own watchlists, conflated, on either replica', async () => {
    const a = await userWith(pair.g1, ['AAPL']);
    const b = await userWith(pair.g2, ['MSFT']);
    expect(await a.socket.timeout(5000).emitWithAck('subscribe', ['MSFT'])).toEqual({
      ok: false,
      error: { code: 'NOT_IN_WATCHLIST', message: expect.stringContaining('MSFT') },
    });
    expect(await a.socket.timeout(5000).emitWithAck('subscribe', ['AAPL'])).toEqual({
      ok: true,
      symbols: ['AAPL'],
    });
    expect(await b.socket.timeout(5000).emitWithAck('subscribe', ['MSFT'])).toEqual({
      ok: true,
      symbols: ['MSFT'],
    });
    expect(await b.socket.timeout(5000).emitWithAck('subscribe', ['"; DROP TABLE users; --'])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_SYMBOLS' },
    });

    const gotA: Quote[] = [];
    const gotB: Quote[] = [];
    a.socket.on('quote', (q) => gotA.push(q));
    b.socket.on('quote', (q) => gotB.push(q));
    // 200 quotes per symbol in about one second: the clients get the latest per 250 ms.
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      await pair.producer.send(
        'quotes',
        [
          ...Array.from({ length: 10 }, (_, j) => quote('AAPL', 100 + (i * 10 + j) / 100)),
          ...Array.from({ length: 10 }, (_, j) => quote('MSFT', 100 + (i * 10 + j) / 100)),
        ].map((q) => ({ key: q.symbol, value: q })),
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(
      () =>
        gotA.some((q) => q.bid_price === 100 + 199 / 100) &&
        gotB.some((q) => q.bid_price === 100 + 199 / 100),
      15000,
      'the last quotes',
    );
    const elapsed = Date.now() - started;
    expect(gotA.every((q) => q.symbol === 'AAPL')).toBe(true);
    expect(gotB.every((q) => q.symbol === 'MSFT')).toBe(true);
    expect(gotA.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    expect(gotA.length).toBeLessThan(200);
  }, 60000);

  it('delivers order events only to their owner, whichever replica holds the socket', async () => {
    const a = await userWith(pair.g1, ['AAPL']);
    const b = await userWith(pair.g2, ['AAPL']);
    const eventsA: OrderEvent[] = [];
    const eventsB: OrderEvent[] = [];
    a.socket.on('order_event', (e) => eventsA.push(e));
    b.socket.on('order_event', (e) => eventsB.push(e));
    const forA = orderEvent(a.user.user.id, { client_order_id: 'c-1' });
    const forB = orderEvent(b.user.user.id, { client_order_id: 'c-2' });
    await pair.producer.send(
      'orderEvents',
      [forA, forB].map((e) => ({ key: e.account_id, value: e })),
    );
    await eventually(() => eventsA.length === 1 && eventsB.length === 1, 15000, 'each user’s event');
    await new Promise((r) => setTimeout(r, 500));
    expect(eventsA).toEqual([forA]);
    expect(eventsB).toEqual([forB]);
  }, 60000);

  it('lets a new market stream of the same user take over, across replicas, with session_replaced', async () => {
    const first = await userWith(pair.g1, ['AAPL']);
    const replaced = new Promise<{ reason: string }>((resolve) =>
      first.socket.once('session_replaced', resolve),
    );
    const second = connectSocket(pair.g2, first.user.accessToken);
    pair.sockets.push(second);
    await connected(second);
    expect((await replaced).reason).toMatch(/newer connection/);
    await eventually(() => first.socket.disconnected, 5000, 'the old socket to close');
    expect(second.connected).toBe(true);
  }, 30000);
});
