import type { StreamStopReason, UnsubscribedInfo } from '@tickstream/contracts';
import type { StreamControlMessage } from './stream-control';
import type { WatchlistView } from './subscriptions';
import { subscribedSymbols, symbolRoom } from './subscriptions';

/** What applying a change needs of a socket; Socket.IO's server sockets have it. */
export interface ControlledSocket {
  readonly data: { userId: string; sessionId: string };
  readonly rooms: ReadonlySet<string>;
  leave(room: string): unknown;
  emit(event: 'unsubscribed', info: UnsubscribedInfo): unknown;
  disconnect(close: boolean): unknown;
}

export interface LocalStream {
  socket: ControlledSocket;
  watchlists: WatchlistView;
}

/**
 * The sockets this replica holds, by user, and how a stream-control message changes them: a
 * watchlist change drops each socket's cached lookup and stops the symbols the user no longer
 * watches; a session that ended stops everything its sockets stream and closes them. Each stop
 * is told to the client first (`unsubscribed {symbols, reason}`).
 */
export class LocalStreams {
  private readonly byUser = new Map<string, Set<LocalStream>>();
  /** Sessions ended recently, so a handshake verified just before the end is still refused. */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly opts: {
      onStopped?: (reason: StreamStopReason, symbols: number) => void;
      /** How long an ended session is remembered for `hasEnded`. Default 60 s. */
      rememberEndedMs?: number;
      now?: () => number;
    } = {},
  ) {}

  add(stream: LocalStream): void {
    const { userId } = stream.socket.data;
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(stream);
  }

  remove(stream: LocalStream): void {
    const { userId } = stream.socket.data;
    const set = this.byUser.get(userId);
    set?.delete(stream);
    if (set?.size === 0) this.byUser.delete(userId);
  }

  /** True if `sessionId` was ended within the last minute (its sockets must not stay). */
  hasEnded(sessionId: string): boolean {
    const until = this.ended.get(sessionId);
    return until !== undefined && until > this.now();
  }

  apply(message: StreamControlMessage): void {
    if (message.kind === 'session') this.rememberEnded(message.sessionId);
    for (const stream of [...(this.byUser.get(message.userId) ?? [])]) {
      if (message.kind === 'watchlists') {
        stream.watchlists.invalidate();
        const revoked = new Set(message.revoked);
        this.stop(
          stream.socket,
          subscribedSymbols(stream.socket.rooms).filter((s) => revoked.has(s)),
          message.reason,
        );
      } else if (stream.socket.data.sessionId === message.sessionId) {
        this.stop(stream.socket, subscribedSymbols(stream.socket.rooms), message.reason, true);
        stream.socket.disconnect(true);
      }
    }
  }

  /**
   * Checks every socket against the database, for the changes whose messages were lost while
   * this replica's Redis subscription was down: what the user no longer watches stops, a
   * session that ended closes. Run after the subscription is back.
   */
  async reconcile(state: {
    watchedBy: (userId: string) => Promise<ReadonlySet<string>>;
    sessionLive: (userId: string, sessionId: string) => Promise<boolean>;
  }): Promise<void> {
    for (const [userId, set] of [...this.byUser]) {
      const watched = await state.watchedBy(userId);
      const live = new Map<string, boolean>();
      for (const stream of [...set]) {
        const { sessionId } = stream.socket.data;
        if (!live.has(sessionId)) live.set(sessionId, await state.sessionLive(userId, sessionId));
        if (!live.get(sessionId)) {
          this.rememberEnded(sessionId);
          this.stop(stream.socket, subscribedSymbols(stream.socket.rooms), 'session_revoked', true);
          stream.socket.disconnect(true);
          continue;
        }
        stream.watchlists.invalidate();
        this.stop(
          stream.socket,
          subscribedSymbols(stream.socket.rooms).filter((s) => !watched.has(s)),
          'removed_from_watchlist',
        );
      }
    }
  }

  private stop(socket: ControlledSocket, symbols: string[], reason: StreamStopReason, always = false): void {
    if (symbols.length === 0 && !always) return;
    for (const s of symbols) socket.leave(symbolRoom(s));
    socket.emit('unsubscribed', { symbols, reason });
    this.opts.onStopped?.(reason, symbols.length);
  }

  private rememberEnded(sessionId: string): void {
    const now = this.now();
    for (const [id, until] of this.ended) if (until <= now) this.ended.delete(id);
    this.ended.set(sessionId, now + (this.opts.rememberEndedMs ?? 60_000));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
