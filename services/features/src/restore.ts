/**
 * Engines resume from the state changelog after a rebalance, once. Partitions are handled
 * concurrently, so the first fetch after a join brings several batches at once: each waits for
 * that one restore rather than the first resetting engines under the others (or each resetting
 * in turn). A failed restore is tried again by the next batch.
 *
 * @example
 *   const restore = new RestoreAfterRebalance(async () => { processor.reset(); await changelog.catchUp(); });
 *   consumer.on(GROUP_JOIN, () => restore.rebalanced());
 *   await restore.ready(); // in the handler, before computing
 */
export class RestoreAfterRebalance {
  private due = false;
  private restoring: Promise<void> = Promise.resolve();

  constructor(private readonly restore: () => Promise<void>) {}

  /** Partitions may have moved: the next batch restores before it computes. */
  rebalanced(): void {
    this.due = true;
  }

  /** Resolves once no restore is due or running. */
  ready(): Promise<void> {
    if (this.due) {
      this.due = false;
      this.restoring = this.restore().catch((err: unknown) => {
        this.due = true;
        throw err;
      });
    }
    return this.restoring;
  }
}
