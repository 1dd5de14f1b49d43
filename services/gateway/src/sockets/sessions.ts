import type { Logger, Redis } from '@tickstream/platform';

const CHANNEL = 'session-replaced';

/**
 * Limits how many market streams one user holds at once, across every gateway replica: each
 * connection is recorded in a Redis sorted set per user (scored by connect time); when a new one
 * takes the user over the limit, the oldest are announced on a pub/sub channel and whichever
 * replica holds them closes them with `session_replaced`. A stale entry left by a crashed
 * replica is simply the first to be replaced. While Redis is away the limit is not enforced
 * (market data keeps flowing); that is logged.
 */
export class SessionRegistry {
  private readonly local = new Map<string, (reason: string) => void>();

  constructor(
    private readonly deps: { redis: Redis; subscriber: Redis; replicaId: string; limit: number; log: Logger },
  ) {}

  async start(): Promise<void> {
    await this.deps.subscriber.subscribe(CHANNEL);
    this.deps.subscriber.on('message', (channel: string, member: string) => {
      if (channel !== CHANNEL) return;
      this.local.get(member)?.('a newer connection of the same user took over this market stream');
    });
  }

  /** Records a connection; `onReplaced` runs if a newer one of the same user evicts it. */
  async register(userId: string, socketId: string, onReplaced: (reason: string) => void): Promise<void> {
    const member = `${this.deps.replicaId}:${socketId}`;
    this.local.set(member, onReplaced);
    const key = `sessions:${userId}`;
    try {
      await this.deps.redis.zadd(key, Date.now(), member);
      await this.deps.redis.expire(key, 7 * 24 * 3600);
      const all = await this.deps.redis.zrange(key, 0, -1);
      const evicted = all.slice(0, Math.max(0, all.length - this.deps.limit)).filter((m) => m !== member);
      for (const old of evicted) {
        await this.deps.redis.zrem(key, old);
        await this.deps.redis.publish(CHANNEL, old);
      }
    } catch (err) {
      this.deps.log.warn(
        { err, userId },
        'session registry unavailable: stream limit not enforced for this connection',
      );
    }
  }

  async unregister(userId: string, socketId: string): Promise<void> {
    const member = `${this.deps.replicaId}:${socketId}`;
    this.local.delete(member);
    await this.deps.redis.zrem(`sessions:${userId}`, member).catch(() => undefined);
  }
}
