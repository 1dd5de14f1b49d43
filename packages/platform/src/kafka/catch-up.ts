/**
 * Tells when a reader has read everything that was on some partitions at one moment: a reader
 * that rebuilds state from a rewound position (the gateway's snapshots, the order service's
 * quote book) must not serve from a half-read history.
 */
export class CatchUp {
  /** "topic:partition" -> the end offset it must be read up to. */
  private readonly behind = new Map<string, bigint>();
  private resolveDone!: () => void;
  /** Resolves once every partition has reached its end offset. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  /**
   * @param partitions per partition, where the reader starts (`offset`) and the end offset at the
   *   moment to catch up with (`high`); a partition starting at its end has nothing to read
   */
  constructor(partitions: readonly { topic: string; partition: number; offset: string; high: string }[]) {
    for (const { topic, partition, offset, high } of partitions)
      if (BigInt(offset) < BigInt(high)) this.behind.set(`${topic}:${partition}`, BigInt(high));
    this.settle();
  }

  /** The reader has handled the records of the partition up to and including `lastOffset`. */
  consumed(topic: string, partition: number, lastOffset: string): void {
    const key = `${topic}:${partition}`;
    const end = this.behind.get(key);
    if (end === undefined || lastOffset === '-1' || BigInt(lastOffset) + 1n < end) return;
    this.behind.delete(key);
    this.settle();
  }

  get caughtUp(): boolean {
    return this.behind.size === 0;
  }

  private settle(): void {
    if (this.behind.size === 0) this.resolveDone();
  }
}
