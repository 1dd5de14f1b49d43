import type { Logger } from '@tickstream/platform';
import { waitUntilLive } from './market';

type LiveOptions = Parameters<typeof waitUntilLive>[0];

export interface FeedGateOptions {
  /** Sockets are taken after this long whatever the feed's state. */
  graceMs: number;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * When the gateway serves. Ready means streams flow: the market feed has read its history and
 * keeps up with the topics (market/readiness.ts), and has not crashed for good since. Sockets
 * are taken once the feed is live (warm snapshots, live quotes), or after the grace period
 * whatever the feed's state, as a replica that never catches up must still serve.
 */
export class FeedGate {
  /** Resolves once sockets may be taken. */
  readonly accepting: Promise<void>;
  private live = false;
  private failed = false;
  private accept!: () => void;
  private readonly grace: NodeJS.Timeout;

  constructor(private readonly opts: FeedGateOptions) {
    this.accepting = new Promise<void>((resolve) => (this.accept = resolve));
    this.grace = setTimeout(() => {
      if (!this.live)
        opts.log.warn({ graceMs: opts.graceMs }, 'market feed not live yet: taking sockets anyway');
      this.accept();
    }, opts.graceMs);
    this.grace.unref();
  }

  /** The readiness check of the market feed. */
  readonly ready = (): boolean => this.live && !this.failed;

  /** The feed caught up with the topics: ready, and sockets are taken from now on. */
  markLive(): void {
    this.live = true;
    clearTimeout(this.grace);
    this.accept();
  }

  /** The feed's consumer stopped for good: not ready again until the process restarts. */
  markFailed(err: unknown): void {
    this.failed = true;
    this.opts.log.error({ err }, 'market feed stopped for good: not ready');
  }
}

export interface FollowOptions {
  /** Resolves once the rewound history is read, false on timeout (the feed's `caughtUp`). */
  caughtUp: (timeoutMs: number) => Promise<boolean>;
  /** The end offsets of the feed's topics now (market's `feedEnds`). */
  ends: LiveOptions['ends'];
  positions: LiveOptions['positions'];
  maxLagMs: number;
  /** True once the service is stopping: the wait ends. */
  stopped: () => boolean;
  log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Waits until the feed is live, logging its progress, then opens the gate. Resolves false when
 * the service stopped first.
 */
export async function openWhenLive(gate: FeedGate, opts: FollowOptions): Promise<boolean> {
  const started = Date.now();
  const live = await waitUntilLive({
    historyRead: async () => {
      const read = await opts.caughtUp(5000);
      if (!read) opts.log.info({ elapsedMs: Date.now() - started }, 'still reading market history');
      return read;
    },
    ends: opts.ends,
    positions: opts.positions,
    maxLagMs: opts.maxLagMs,
    stopped: opts.stopped,
    onRound: ({ tookMs }) => {
      if (tookMs > opts.maxLagMs)
        opts.log.info({ tookMs, maxLagMs: opts.maxLagMs }, 'market feed still behind the topics');
    },
    onError: (err) => opts.log.warn({ err }, 'could not read the feed topics’ end offsets; retrying'),
  });
  if (!live) return false;
  gate.markLive();
  opts.log.info({ tookMs: Date.now() - started }, 'market feed live: ready');
  return true;
}
