/**
 * Tells when a reader has read everything that was on a topic's partitions at one moment: the
 * order service waits for its quote reader to catch up after a start, so a command that was
 * waiting in Kafka is not priced against a half-filled quote book (and rejected for
 * NO_MARKET_DATA although the quote was already published).
 */
export class CatchUp {
  /** Partition -> the end offset it must reach. */
  private readonly behind = new Map<number, bigint>();
  private resolveDone!: () => void;
  /** Resolves once every partition has reached its end offset. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  /**
   * @param ends the end offset of each partition at the moment to catch up with
   * @param starts where the reader starts each partition (a partition starting at its end has nothing to read)
   */
  constructor(
    ends: readonly { partition: number; high: string }[],
    starts: readonly { partition: number; offset: string }[],
  ) {
    for (const { partition, high } of ends) this.behind.set(partition, BigInt(high));
    for (const { partition, offset } of starts) this.reached(partition, BigInt(offset));
    this.settle();
  }

  /** The reader has handled the records of `partition` up to and including `lastOffset`. */
  consumed(partition: number, lastOffset: string): void {
    if (lastOffset === '-1') return;
    this.reached(partition, BigInt(lastOffset) + 1n);
    this.settle();
  }

  get caughtUp(): boolean {
    return this.behind.size === 0;
  }

  private reached(partition: number, next: bigint): void {
    const end = this.behind.get(partition);
    if (end !== undefined && next >= end) this.behind.delete(partition);
  }

  private settle(): void {
    if (this.behind.size === 0) this.resolveDone();
  }
}
