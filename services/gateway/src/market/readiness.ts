/** A partition's end offset (the offset the next record written to it will get). */
export interface PartitionEnd {
  topic: string;
  partition: number;
  high: string;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * How far the market feed has read, per partition: the start positions its rewind placed, then
 * the last offset of each batch it handled. Positions only move forward, so a batch read from
 * the group's default position before the rewind's seek was applied cannot pull one back; such a
 * batch lies below the end offsets of the start, which the history catch-up must pass anyway.
 */
export class FeedPositions {
  private readonly next = new Map<string, bigint>();

  /** The rewind starts `topic`/`partition` at `offset`. */
  placed(topic: string, partition: number, offset: string): void {
    this.advance(topic, partition, BigInt(offset));
  }

  /** The feed handled the partition's records up to and including `lastOffset` (-1: none). */
  consumed(topic: string, partition: number, lastOffset: string): void {
    if (lastOffset !== '-1') this.advance(topic, partition, BigInt(lastOffset) + 1n);
  }

  /** The partitions of `ends` with records the feed has not handled yet. */
  behind(ends: readonly PartitionEnd[]): PartitionEnd[] {
    return ends.filter((e) => (this.next.get(key(e.topic, e.partition)) ?? 0n) < BigInt(e.high));
  }

  private advance(topic: string, partition: number, next: bigint): void {
    const k = key(topic, partition);
    const current = this.next.get(k);
    if (current === undefined || next > current) this.next.set(k, next);
  }
}

export interface LiveOptions {
  /** Resolves once the rewound history is read (false: not yet, ask again). */
  historyRead: () => Promise<boolean>;
  /** The end offsets of every partition the feed reads, as of now. */
  ends: () => Promise<PartitionEnd[]>;
  positions: FeedPositions;
  /**
   * The feed is live when it reaches the end offsets it was shown within this long: it keeps up
   * with what is being written, so a subscriber gets what arrives now, not a backlog.
   */
  maxLagMs: number;
  pollMs?: number;
  stopped: () => boolean;
  now?: () => number;
  onRound?: (round: { tookMs: number; behind: number }) => void;
  /** Reading the end offsets failed; the round is tried again. */
  onError?: (err: unknown) => void;
}

/**
 * Resolves true when the market feed is live (false if stopped first). First the rewound
 * history (warm snapshots); then rounds of "read up to the end offsets as of now" until one
 * completes within `maxLagMs`. While history was read more records arrived; each round reads
 * the backlog of the previous one, so under any load the feed can carry, the rounds shorten.
 */
export async function waitUntilLive(opts: LiveOptions): Promise<boolean> {
  const now = opts.now ?? Date.now;
  const pause = () => new Promise((r) => setTimeout(r, opts.pollMs ?? 20));
  while (!(await opts.historyRead())) if (opts.stopped()) return false;
  for (;;) {
    if (opts.stopped()) return false;
    let ends: PartitionEnd[];
    try {
      ends = await opts.ends();
    } catch (err) {
      opts.onError?.(err);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const started = now();
    let behind = opts.positions.behind(ends);
    while (behind.length > 0 && !opts.stopped()) {
      await pause();
      behind = opts.positions.behind(behind);
    }
    const tookMs = now() - started;
    opts.onRound?.({ tookMs, behind: behind.length });
    if (behind.length === 0 && tookMs <= opts.maxLagMs) return true;
  }
}
