import type { UnsubscribedInfo } from '@tickstream/contracts';
import type { ControlledSocket } from '../../src/sockets/local-streams';
import { LocalStreams } from '../../src/sockets/local-streams';
import { WatchlistView } from '../../src/sockets/subscriptions';

class FakeSocket implements ControlledSocket {
  readonly rooms: Set<string>;
  readonly told: UnsubscribedInfo[] = [];
  closed = false;
  constructor(
    readonly data: { userId: string; sessionId: string },
    symbols: string[],
  ) {
    this.rooms = new Set(['id', `user:${data.userId}`, ...symbols.map((s) => `sym:${s}`)]);
  }
  leave(room: string) {
    this.rooms.delete(room);
  }
  emit(_event: 'unsubscribed', info: UnsubscribedInfo) {
    this.told.push(info);
  }
  disconnect() {
    this.closed = true;
  }
}

function streamOf(userId: string, sessionId: string, symbols: string[]) {
  let lookups = 0;
  const watchlists = new WatchlistView(async () => {
    lookups++;
    return new Set(symbols);
  });
  return { socket: new FakeSocket({ userId, sessionId }, symbols), watchlists, lookups: () => lookups };
}

describe('LocalStreams', () => {
  it('stops the revoked symbols on every socket of the user, and drops their cached lookups', async () => {
    const stopped: [string, number][] = [];
    const streams = new LocalStreams({ onStopped: (reason, n) => stopped.push([reason, n]) });
    const a = streamOf('u1', 's1', ['AAPL', 'MSFT']);
    const b = streamOf('u1', 's2', ['AAPL']);
    const other = streamOf('u2', 's3', ['AAPL']);
    for (const s of [a, b, other]) {
      streams.add(s);
      await s.watchlists.denied(['AAPL']);
    }
    streams.apply({
      kind: 'watchlists',
      userId: 'u1',
      revoked: ['AAPL', 'TSLA'],
      reason: 'removed_from_watchlist',
    });
    expect(a.socket.told).toEqual([{ symbols: ['AAPL'], reason: 'removed_from_watchlist' }]);
    expect([...a.socket.rooms]).toEqual(['id', 'user:u1', 'sym:MSFT']);
    expect(b.socket.told).toEqual([{ symbols: ['AAPL'], reason: 'removed_from_watchlist' }]);
    expect(other.socket.told).toEqual([]);
    expect(stopped).toEqual([
      ['removed_from_watchlist', 1],
      ['removed_from_watchlist', 1],
    ]);
    await a.watchlists.denied(['MSFT']);
    await other.watchlists.denied(['AAPL']);
    expect([a.lookups(), other.lookups()]).toEqual([2, 1]);
  });

  it('tells nothing for a change that revokes nothing the socket streams', () => {
    const streams = new LocalStreams();
    const a = streamOf('u1', 's1', ['MSFT']);
    streams.add(a);
    streams.apply({ kind: 'watchlists', userId: 'u1', revoked: [], reason: 'removed_from_watchlist' });
    streams.apply({ kind: 'watchlists', userId: 'u1', revoked: ['AAPL'], reason: 'watchlist_deleted' });
    expect(a.socket.told).toEqual([]);
  });

  it('closes the sockets of an ended session only, telling them everything stopped', () => {
    const streams = new LocalStreams();
    const a = streamOf('u1', 's1', ['AAPL', 'MSFT']);
    const b = streamOf('u1', 's2', ['AAPL']);
    streams.add(a);
    streams.add(b);
    streams.apply({ kind: 'session', userId: 'u1', sessionId: 's1', reason: 'logout' });
    expect(a.socket.told).toEqual([{ symbols: ['AAPL', 'MSFT'], reason: 'logout' }]);
    expect(a.socket.closed).toBe(true);
    expect(b.socket.told).toEqual([]);
    expect(b.socket.closed).toBe(false);
  });

  it('remembers an ended session for a while, for sockets verified just before it ended', () => {
    let now = 1_000;
    const streams = new LocalStreams({ rememberEndedMs: 60_000, now: () => now });
    streams.apply({ kind: 'session', userId: 'u1', sessionId: 's1', reason: 'session_revoked' });
    expect(streams.hasEnded('s1')).toBe(true);
    expect(streams.hasEnded('s2')).toBe(false);
    now += 60_001;
    expect(streams.hasEnded('s1')).toBe(false);
  });

  it('forgets a removed socket', () => {
    const streams = new LocalStreams();
    const a = streamOf('u1', 's1', ['AAPL']);
    streams.add(a);
    streams.remove(a);
    streams.apply({ kind: 'session', userId: 'u1', sessionId: 's1', reason: 'logout' });
    expect(a.socket.closed).toBe(false);
  });

  it('reconciles with the database after lost messages: unwatched symbols stop, ended sessions close', async () => {
    const streams = new LocalStreams();
    const a = streamOf('u1', 's1', ['AAPL', 'MSFT']);
    const b = streamOf('u1', 's2', ['AAPL', 'MSFT']);
    const c = streamOf('u2', 's3', ['AAPL']);
    for (const s of [a, b, c]) streams.add(s);
    await streams.reconcile({
      watchedBy: async (userId) => new Set(userId === 'u1' ? ['MSFT'] : ['AAPL']),
      sessionLive: async (_userId, sessionId) => sessionId !== 's2',
    });
    expect(a.socket.told).toEqual([{ symbols: ['AAPL'], reason: 'removed_from_watchlist' }]);
    expect(a.socket.closed).toBe(false);
    expect(b.socket.told).toEqual([{ symbols: ['AAPL', 'MSFT'], reason: 'session_revoked' }]);
    expect(b.socket.closed).toBe(true);
    expect(streams.hasEnded('s2')).toBe(true);
    expect(c.socket.told).toEqual([]);
  });
});
