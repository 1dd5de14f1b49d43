import type { SubscribeAck, SymbolSnapshot } from '@tickstream/contracts';
import type { ClientSocket } from '../../../../test/support/gateway-client';
import { api, connectSocket, connected, signUpWithWatchlists } from '../../../../test/support/gateway-client';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed } from '../../../../test/support/kafka';
import type { ServiceProcess } from '../../../../test/support/service-process';
import { isolatedEnv, startService } from '../../../../test/support/service-process';

const ORIGIN = 'https://app.example.test';
const SUBSCRIBES_PER_WINDOW = 30;

/** The value of a counter (summed over its labels) on the gateway's /metrics. */
async function counter(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (lines.length === 0) throw new Error(`${name} is not exported`);
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

// One gateway process, driven the way an outside socket client would (issue 13, parts 3 and 5).
describe('socket subscribe / unsubscribe', () => {
  let bed: KafkaTestbed;
  let gateway: ServiceProcess;
  let base: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    bed = await kafkaTestbed('gateway-subscribe');
    gateway = await startService(
      'gateway',
      isolatedEnv(bed.prefix, {
        RATE_SOCKET_SUBSCRIBES: String(SUBSCRIBES_PER_WINDOW),
        RATE_SOCKET_WINDOW_SEC: '60',
        CORS_ORIGINS: ORIGIN,
      }),
    );
    base = `http://127.0.0.1:${gateway.port}`;
  }, 120000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await gateway?.stop();
    await bed?.close();
  });

  async function userWith(lists: Record<string, string[]>) {
    const { user, ids } = await signUpWithWatchlists(base, 'sub', lists);
    const socket = connectSocket(base, user.accessToken);
    sockets.push(socket);
    const snapshots: SymbolSnapshot[] = [];
    socket.on('snapshot', (s) => snapshots.push(s));
    await connected(socket);
    return { user, ids, socket, snapshots };
  }

  const sub = (socket: ClientSocket, symbols: string[]) =>
    socket.timeout(10000).emitWithAck('subscribe', symbols) as Promise<SubscribeAck>;

  it('sends a snapshot only for newly subscribed symbols: a re-subscribe gets none', async () => {
    const { socket, snapshots } = await userWith({ Main: ['AAPL', 'MSFT'] });
    expect(await sub(socket, ['AAPL'])).toEqual({ ok: true, symbols: ['AAPL'] });
    for (let i = 0; i < 20; i++) expect(await sub(socket, ['AAPL'])).toEqual({ ok: true, symbols: ['AAPL'] });
    expect(await sub(socket, ['aapl', 'MSFT'])).toEqual({ ok: true, symbols: ['AAPL', 'MSFT'] });
    // A snapshot is emitted before its ack on the same socket: every one sent has arrived.
    expect(snapshots.map((s) => s.symbol)).toEqual(['AAPL', 'MSFT']);

    // After an unsubscribe the symbol is new again.
    expect(await socket.timeout(10000).emitWithAck('unsubscribe', ['AAPL'])).toEqual({
      ok: true,
      symbols: ['MSFT'],
    });
    expect(await sub(socket, ['AAPL', 'MSFT'])).toEqual({ ok: true, symbols: ['AAPL', 'MSFT'] });
    expect(snapshots.map((s) => s.symbol)).toEqual(['AAPL', 'MSFT', 'AAPL']);
  }, 60000);

  it('looks the watchlists up once per socket, and again only after they change', async () => {
    const { socket, ids, user } = await userWith({ Main: ['AAPL', 'MSFT', 'NVDA'] });
    const lookups = () => counter(base, 'gateway_watchlist_lookups_total');
    const before = await lookups();
    await sub(socket, ['AAPL']);
    await sub(socket, ['MSFT']);
    for (let i = 0; i < 5; i++) await sub(socket, ['AAPL', 'MSFT']);
    await socket.timeout(10000).emitWithAck('unsubscribe', ['MSFT']);
    await sub(socket, ['MSFT']);
    expect((await lookups()) - before).toBe(1);

    // A symbol just added elsewhere (REST) can be subscribed at once: a refusal is confirmed
    // against the database, so it costs one lookup.
    await api(base, 'POST', `/api/watchlists/${ids.Main}/symbols`, { symbol: 'GOOG' }, user.accessToken);
    expect(await sub(socket, ['GOOG'])).toEqual({ ok: true, symbols: ['AAPL', 'GOOG', 'MSFT'] });
    expect((await lookups()) - before).toBe(2);

    // A removal reaches the socket (the unsubscribed event) and drops its cached lookup.
    const stopped = new Promise((resolve) => socket.once('unsubscribed', resolve));
    await api(base, 'DELETE', `/api/watchlists/${ids.Main}/symbols/MSFT`, undefined, user.accessToken);
    expect(await stopped).toEqual({ symbols: ['MSFT'], reason: 'removed_from_watchlist' });
    await sub(socket, ['NVDA']);
    await sub(socket, ['NVDA']);
    expect((await lookups()) - before).toBe(3);
  }, 60000);

  it('limits subscribes and unsubscribes per socket, answering RATE_LIMITED with a retry time', async () => {
    const { socket } = await userWith({ Main: ['AAPL'] });
    const acks = await Promise.all(
      Array.from({ length: SUBSCRIBES_PER_WINDOW + 10 }, (_, i) =>
        i % 2 === 0 ? sub(socket, ['AAPL']) : socket.timeout(10000).emitWithAck('unsubscribe', ['MSFT']),
      ),
    );
    const refused = acks.filter((a) => !a.ok);
    expect(acks.filter((a) => a.ok)).toHaveLength(SUBSCRIBES_PER_WINDOW);
    expect(refused).toHaveLength(10);
    for (const a of refused)
      expect(a).toEqual({
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/subscribe/),
          retryAfterSec: expect.any(Number),
        },
      });
    expect(socket.connected).toBe(true);
    // Another socket has its own budget.
    const other = await userWith({ Main: ['AAPL'] });
    expect(await sub(other.socket, ['AAPL'])).toEqual({ ok: true, symbols: ['AAPL'] });
  }, 60000);

  it('answers a subscribe or unsubscribe sent without symbols with INVALID_SYMBOLS', async () => {
    const { socket } = await userWith({ Main: ['AAPL'] });
    // What a client that passes only the callback sends; the contract's types do not allow it.
    const bare = socket.timeout(5000) as unknown as {
      emitWithAck(event: string): Promise<SubscribeAck>;
    };
    for (const event of ['subscribe', 'unsubscribe'])
      expect(await bare.emitWithAck(event)).toEqual({
        ok: false,
        error: { code: 'INVALID_SYMBOLS', message: expect.any(String) },
      });
    expect(await sub(socket, [] as string[])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_SYMBOLS' },
    });
  }, 30000);

  it('does not allow credentials on cross-origin Socket.IO requests, as for the REST API', async () => {
    const handshake = (origin: string) =>
      fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await handshake(ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const foreign = await handshake('https://evil.example.test');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
  }, 30000);
});
