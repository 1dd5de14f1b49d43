import type { Redis } from '@tickstream/platform';
import { createRedis } from '@tickstream/platform';
import { TEST_ENV, eventually, uniquePrefix } from '../../../../test/support/env';
import { recordingLogger } from '../http/harness';
import type { StreamControlMessage } from '../../src/sockets/stream-control';
import { StreamControl } from '../../src/sockets/stream-control';

// Real Redis pub/sub: two StreamControl instances stand for two gateway replicas.
describe('StreamControl', () => {
  const clients: Redis[] = [];
  const redis = async () => {
    const r = createRedis(TEST_ENV.REDIS_URL);
    clients.push(r);
    if (r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
    return r;
  };

  afterAll(() => {
    for (const c of clients) c.disconnect();
  });

  async function replica(keyPrefix: string, watched: Record<string, string[]> = {}) {
    const received: StreamControlMessage[] = [];
    const { log, lines: warnings } = recordingLogger();
    const control = new StreamControl({
      redis: await redis(),
      subscriber: await redis(),
      keyPrefix,
      log,
      watchedBy: async (userId) => new Set(watched[userId] ?? []),
    });
    await control.start((m) => received.push(m));
    return { control, received, warnings };
  }

  it('delivers a change to every replica of the deployment, and to no other deployment', async () => {
    const prefix = uniquePrefix('control');
    const a = await replica(prefix);
    const b = await replica(prefix);
    const elsewhere = await replica(uniquePrefix('other'));
    const ended: StreamControlMessage = { kind: 'session', userId: 'u1', sessionId: 's1', reason: 'logout' };
    await a.control.publish(ended);
    await eventually(() => a.received.length === 1 && b.received.length === 1, 5000, 'both replicas');
    expect(b.received).toEqual([ended]);
    expect(elsewhere.received).toEqual([]);
  });

  it('after a watchlist change, names only the changed symbols the user watches on no list', async () => {
    const prefix = uniquePrefix('control');
    const a = await replica(prefix, { u1: ['MSFT'] });
    await a.control.watchlistsChanged({ userId: 'u1', affected: ['TSLA', 'MSFT', 'AAPL'], deleted: true });
    await eventually(() => a.received.length === 1, 5000, 'the message');
    expect(a.received).toEqual([
      { kind: 'watchlists', userId: 'u1', revoked: ['AAPL', 'TSLA'], reason: 'watchlist_deleted' },
    ]);
  });

  it('skips, with a warning, what is not JSON or not a known message', async () => {
    const prefix = uniquePrefix('control');
    const a = await replica(prefix);
    const raw = await redis();
    await raw.publish(`${prefix}stream-control`, 'not json');
    await raw.publish(`${prefix}stream-control`, JSON.stringify({ kind: 'session', userId: 'u1' }));
    const fine: StreamControlMessage = {
      kind: 'watchlists',
      userId: 'u1',
      revoked: [],
      reason: 'removed_from_watchlist',
    };
    await raw.publish(`${prefix}stream-control`, JSON.stringify(fine));
    await eventually(() => a.received.length === 1, 5000, 'the valid message');
    expect(a.received).toEqual([fine]);
    expect(a.warnings).toHaveLength(2);
  });

  it('resyncs when its subscription comes back after Redis dropped it, and hears messages again', async () => {
    const prefix = uniquePrefix('control');
    const subscriber = await redis();
    let resyncs = 0;
    const received: StreamControlMessage[] = [];
    const control = new StreamControl({
      redis: await redis(),
      subscriber,
      keyPrefix: prefix,
      log: recordingLogger().log,
      watchedBy: async () => new Set(),
    });
    await control.start(
      (m) => received.push(m),
      async () => {
        resyncs++;
      },
    );
    expect(resyncs).toBe(0);
    subscriber.disconnect(true); // the connection drops; the client reconnects by itself
    await eventually(() => resyncs === 1, 10000, 'a resync');
    const ended: StreamControlMessage = { kind: 'session', userId: 'u1', sessionId: 's1', reason: 'logout' };
    await eventually(
      async () => {
        await control.publish(ended);
        return received.length > 0;
      },
      10000,
      'a message after the reconnect',
    );
    expect(received[0]).toEqual(ended);
  });

  it('does not throw when Redis cannot take the message', async () => {
    const { log, lines: errors } = recordingLogger();
    const down = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    clients.push(down);
    const control = new StreamControl({
      redis: down,
      subscriber: down,
      keyPrefix: 'x:',
      log,
      watchedBy: async () => new Set(),
    });
    await control.publish({ kind: 'session', userId: 'u1', sessionId: 's1', reason: 'logout' });
    expect(errors).toEqual([expect.stringContaining('could not publish')]);
  });
});
