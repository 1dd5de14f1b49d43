import { z } from 'zod';
import type { Logger, Redis } from '@tickstream/platform';

const watchlistsChanged = z.object({
  kind: z.literal('watchlists'),
  userId: z.string().min(1),
  /** Symbols now on none of the user's watchlists. */
  revoked: z.array(z.string()),
  reason: z.enum(['removed_from_watchlist', 'watchlist_deleted']),
});

const sessionEnded = z.object({
  kind: z.literal('session'),
  userId: z.string().min(1),
  sessionId: z.string().min(1),
  reason: z.enum(['logout', 'session_revoked']),
});

const messageSchema = z.discriminatedUnion('kind', [watchlistsChanged, sessionEnded]);

/** A change every gateway replica must apply to the sockets it holds. */
export type StreamControlMessage = z.infer<typeof messageSchema>;

/**
 * The channel between gateway replicas for changes that must reach open sockets at once: a
 * user's watchlists changed, or a session ended. Redis pub/sub, because each replica holds its
 * own sockets and the change is made on whichever replica took the REST call; a message is
 * worth nothing once the sockets it concerns are gone, so nothing is kept. A message that
 * cannot be parsed is logged and skipped. The channel name carries `REDIS_KEY_PREFIX` (Redis
 * does not prefix channels), so deployments sharing a Redis do not hear each other.
 */
export class StreamControl {
  private readonly channel: string;

  constructor(
    private readonly deps: {
      redis: Redis;
      subscriber: Redis;
      keyPrefix: string;
      log: Logger;
      /** The symbols on any of the user's watchlists, as committed now. */
      watchedBy: (userId: string) => Promise<ReadonlySet<string>>;
    },
  ) {
    this.channel = `${deps.keyPrefix}stream-control`;
  }

  /**
   * Listens; `resync` runs each time the subscription comes back after Redis was away, since
   * what was published meanwhile is lost (pub/sub keeps nothing).
   */
  async start(apply: (message: StreamControlMessage) => void, resync?: () => Promise<void>): Promise<void> {
    this.deps.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let parsed: z.SafeParseReturnType<unknown, StreamControlMessage>;
      try {
        parsed = messageSchema.safeParse(JSON.parse(text));
      } catch (err) {
        this.deps.log.warn({ err }, 'stream control: message is not JSON; skipped');
        return;
      }
      if (!parsed.success) {
        this.deps.log.warn({ issues: parsed.error.issues }, 'stream control: unknown message; skipped');
        return;
      }
      apply(parsed.data);
    });
    // The client refuses commands while it connects (no offline queue); ioredis subscribes the
    // channel again by itself after a reconnect.
    const { subscriber } = this.deps;
    if (subscriber.status !== 'ready') await new Promise((resolve) => subscriber.once('ready', resolve));
    await subscriber.subscribe(this.channel);
    subscriber.on('ready', () => {
      if (!resync) return;
      this.deps.log.warn('stream control: Redis is back; checking open sockets against the database');
      resync().catch((err: unknown) =>
        this.deps.log.error({ err }, 'stream control: could not check open sockets after a Redis outage'),
      );
    });
  }

  /**
   * After a committed change of the user's watchlists: every replica drops its sockets' cached
   * lookups, and stops the symbols of `affected` that the user now watches on no list (a symbol
   * still on another list keeps streaming).
   */
  async watchlistsChanged(change: { userId: string; affected: string[]; deleted: boolean }): Promise<void> {
    let watched: ReadonlySet<string>;
    try {
      watched = await this.deps.watchedBy(change.userId);
    } catch (err) {
      // Unknown: stop them all; the client may subscribe again to what it still watches.
      this.deps.log.warn(
        { err, userId: change.userId },
        'stream control: watchlists unreadable; stopping all changed symbols',
      );
      watched = new Set();
    }
    await this.publish({
      kind: 'watchlists',
      userId: change.userId,
      revoked: change.affected.filter((s) => !watched.has(s)).sort(),
      reason: change.deleted ? 'watchlist_deleted' : 'removed_from_watchlist',
    });
  }

  /**
   * Tells every replica (this one included). Never throws: the change itself is committed and
   * stands; a message lost while Redis is away is logged (see docs/RUNBOOK.md).
   */
  async publish(message: StreamControlMessage): Promise<void> {
    try {
      await this.deps.redis.publish(this.channel, JSON.stringify(message));
    } catch (err) {
      this.deps.log.error(
        { err, kind: message.kind, userId: message.userId },
        'stream control: could not publish; open sockets keep their streams until they reconnect',
      );
    }
  }
}
