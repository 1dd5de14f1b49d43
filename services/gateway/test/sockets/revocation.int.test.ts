import type { Quote, UnsubscribedInfo } from '@tickstream/contracts';
import { eventually } from '../../../../test/support/env';
import type { ClientSocket } from '../../../../test/support/gateway-client';
import { api, connectSocket, connected, signUpWithWatchlists } from '../../../../test/support/gateway-client';
import { quote } from '../support/records';
import type { ReplicaPair } from './replica-pair';
import { startReplicaPair } from './replica-pair';

// Generous: the goal is 1 s (bench/subscribe measures it); this only has to hold on a loaded
// machine while still telling "stopped" from "never stopped".
const STOP_BOUND_MS = 10000;

interface Watcher {
  socket: ClientSocket;
  stops: UnsubscribedInfo[];
  quotes: Quote[];
  disconnects: string[];
}

// Two gateway replicas sharing Kafka, Postgres and Redis; a user holds a socket on each. A change
// made through one replica must stop the streams on both (issue 13, part 4).
describe('streams stop when watchlists or sessions change, on every replica', () => {
  let pair: ReplicaPair;
  let bid = 100;

  beforeAll(async () => {
    pair = await startReplicaPair('gateway-revocation', {
      MARKET_STREAMS_PER_USER: '3',
      MARKET_UPDATE_INTERVAL: '100',
    });
  }, 120000);

  afterAll(() => pair?.close());

  async function watch(base: string, token: string, symbols: string[]): Promise<Watcher> {
    const socket = connectSocket(base, token);
    pair.sockets.push(socket);
    const w: Watcher = { socket, stops: [], quotes: [], disconnects: [] };
    socket.on('unsubscribed', (info) => w.stops.push(info));
    socket.on('quote', (q) => w.quotes.push(q));
    socket.on('disconnect', (reason) => w.disconnects.push(reason));
    await connected(socket);
    expect(await socket.timeout(10000).emitWithAck('subscribe', symbols)).toMatchObject({ ok: true });
    return w;
  }

  const userWith = (lists: Record<string, string[]>) => signUpWithWatchlists(pair.g1, 'revoke', lists);

  /** Sends one quote per symbol with a fresh bid and returns that bid. */
  async function sendQuotes(symbols: string[]): Promise<number> {
    const b = ++bid;
    await pair.producer.send(
      'quotes',
      symbols.map((s) => ({ key: s, value: quote(s, b) })),
    );
    return b;
  }

  it('removing a symbol or deleting a watchlist stops exactly those symbols on both replicas', async () => {
    const { user, ids } = await userWith({ Main: ['AAPL', 'MSFT'], Other: ['MSFT'] });
    const a = await watch(pair.g1, user.accessToken, ['AAPL', 'MSFT']);
    const b = await watch(pair.g2, user.accessToken, ['AAPL', 'MSFT']);
    const bystander = await userWith({ Main: ['AAPL'] });
    const c1 = await watch(pair.g1, bystander.user.accessToken, ['AAPL']);
    const c2 = await watch(pair.g2, bystander.user.accessToken, ['AAPL']);

    await api(pair.g1, 'DELETE', `/api/watchlists/${ids.Main}/symbols/AAPL`, undefined, user.accessToken);
    await eventually(() => a.stops.length > 0 && b.stops.length > 0, STOP_BOUND_MS, 'unsubscribed on both');
    for (const w of [a, b])
      expect(w.stops).toEqual([{ symbols: ['AAPL'], reason: 'removed_from_watchlist' }]);

    // From now on AAPL quotes reach only the bystander (on both replicas, so each replica has
    // emitted them); MSFT still flows.
    const mark = await sendQuotes(['AAPL', 'MSFT']);
    await eventually(
      () => [a, b].every((w) => w.quotes.some((q) => q.symbol === 'MSFT' && q.bid_price === mark)),
      15000,
      'the MSFT quote on both sockets',
    );
    await eventually(
      () => [c1, c2].every((w) => w.quotes.some((q) => q.bid_price === mark)),
      15000,
      "the bystander's AAPL quotes",
    );
    for (const w of [a, b])
      expect(w.quotes.filter((q) => q.symbol === 'AAPL' && q.bid_price >= mark)).toEqual([]);
    for (const w of [a, b])
      expect(await w.socket.timeout(10000).emitWithAck('subscribe', ['AAPL'])).toMatchObject({
        ok: false,
        error: { code: 'NOT_IN_WATCHLIST' },
      });

    // MSFT stays on Other: removing it from Main stops nothing; deleting Other then does.
    await api(pair.g2, 'DELETE', `/api/watchlists/${ids.Main}/symbols/MSFT`, undefined, user.accessToken);
    await api(pair.g2, 'DELETE', `/api/watchlists/${ids.Other}`, undefined, user.accessToken);
    await eventually(
      () => a.stops.length > 1 && b.stops.length > 1,
      STOP_BOUND_MS,
      'the second unsubscribed',
    );
    for (const w of [a, b])
      expect(w.stops).toEqual([
        { symbols: ['AAPL'], reason: 'removed_from_watchlist' },
        { symbols: ['MSFT'], reason: 'watchlist_deleted' },
      ]);
    for (const w of [c1, c2]) expect(w.stops).toEqual([]);
    for (const w of [a, b, c1, c2]) expect(w.socket.connected).toBe(true);
  }, 90000);

  it('logout stops the streams of that session on both replicas and closes its sockets', async () => {
    const { user } = await userWith({ Main: ['AAPL'] });
    const a = await watch(pair.g1, user.accessToken, ['AAPL']);
    const b = await watch(pair.g2, user.accessToken, ['AAPL']);
    // A second session of the same user (another device) is not logged out.
    const login = await api<{ accessToken: string }>(pair.g1, 'POST', '/api/auth/login', {
      email: user.user.email,
      password: 'correct horse battery staple',
    });
    const other = await watch(pair.g2, login.body.accessToken, ['AAPL']);

    await api(pair.g2, 'POST', '/api/auth/logout', undefined, user.accessToken);
    await eventually(
      () => [a, b].every((w) => w.disconnects.length > 0),
      STOP_BOUND_MS,
      'both sockets of the session to close',
    );
    for (const w of [a, b]) {
      expect(w.stops).toEqual([{ symbols: ['AAPL'], reason: 'logout' }]);
      expect(w.disconnects).toEqual(['io server disconnect']);
    }
    const mark = await sendQuotes(['AAPL']);
    await eventually(
      () => other.quotes.some((q) => q.bid_price === mark),
      15000,
      'the other session’s quote',
    );
    expect(other.stops).toEqual([]);
    expect(other.socket.connected).toBe(true);
  }, 60000);

  it('a reused refresh token revokes its session, and the session’s sockets stop at once', async () => {
    const { user } = await userWith({ Main: ['AAPL'] });
    const a = await watch(pair.g1, user.accessToken, ['AAPL']);
    const b = await watch(pair.g2, user.accessToken, ['AAPL']);
    await api(pair.g1, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken });
    const reuse = await api<{ code: string }>(
      pair.g2,
      'POST',
      '/api/auth/refresh',
      { refreshToken: user.refreshToken },
      undefined,
      [401],
    );
    expect(reuse.body.code).toBe('REFRESH_REUSED');
    await eventually(
      () => [a, b].every((w) => w.disconnects.length > 0),
      STOP_BOUND_MS,
      'both sockets of the session to close',
    );
    for (const w of [a, b]) expect(w.stops).toEqual([{ symbols: ['AAPL'], reason: 'session_revoked' }]);
  }, 60000);
});
