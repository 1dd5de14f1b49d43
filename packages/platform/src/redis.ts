import { Redis } from 'ioredis';

/**
 * The one Redis factory. Keys get the configured prefix (tests use their own), commands fail
 * fast while Redis is away instead of queueing without bound, and the client keeps reconnecting.
 *
 * @example
 *   const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
 */
export function createRedis(url: string, opts: { keyPrefix?: string; lazyConnect?: boolean } = {}): Redis {
  return new Redis(url, {
    keyPrefix: opts.keyPrefix ?? '',
    lazyConnect: opts.lazyConnect ?? false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
}

export type { Redis };
