import type { Knex } from 'knex';
import type { Logger, TypedProducer } from '@tickstream/platform';
import type { OutboxRow } from './outbox-table';
import { byOutboxId, deletePublished, markPublished, publishOldest } from './outbox-table';

export type { OutboxRow } from './outbox-table';

/** How a row reached Kafka: right after its commit, or by a pass over the table. */
export type PublishPath = 'direct' | 'sweep';

/** How often published rows past the retention are deleted, and how many per statement. */
const PURGE_EVERY_MS = 10 * 60_000;
const PURGE_BATCH = 1000;
/** How many directly sent ids are remembered, so an older row a later insert still saw is not sent twice. */
const RECENTLY_SENT = 10_000;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Publishes the outbox to orders.events.v1; never loses or reorders an account's events.
 *
 * Direct path: the ledger hands over each transaction's rows right after the commit with the
 * account's older rows its insert found still unpublished (left by a crash, another instance, a
 * failed send, or sent and not yet marked), and they are sent at once, oldest first, in one
 * produce request with no query before it, then marked published. Sweep path (the
 * crash-recovery one): a pass reads unpublished rows in id order under the topic's advisory
 * lock, sends and marks them; it runs at start, every `intervalMs` (rows left by a crash or by
 * another instance), when a direct send failed, and when an account had more older rows than an
 * insert reads. Both paths run in one loop, one request at a time, so nothing of this process
 * overtakes anything else of it.
 *
 * A crash between a send and its mark republishes the rows: consumers recognise the repeat by
 * its deterministic event id (`<order_id>:<seq>`).
 */
export class OutboxPublisher {
  /** Rows committed and not yet sent, in commit order. */
  private queue: OutboxRow[] = [];
  /** Older rows the queued transactions found unpublished: they go out first, with them. */
  private older = new Map<string, OutboxRow>();
  /** Ids sent directly of late (insertion order, bounded): an older row found again is not resent. */
  private recentlySent = new Set<string>();
  /** Rows handed over so far, and those finished: sent, or left to a sweep that has since run. */
  private handed = 0;
  private finished = 0;
  /** Rows of the queue given to the next sweep (a direct send failed, or was not safe). */
  private leftToSweep = 0;
  private settleWaiters: { upTo: number; resolve: () => void }[] = [];
  private sweepWaiters: Waiter[] | undefined;
  /** Ids the last sweep sent: a late hand-over of the same rows must not send them again. */
  private swept = new Set<string>();
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private purgeTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly opts: {
      db: Knex;
      producer: TypedProducer;
      /** Full name of orders.events.v1 in this deployment: only its rows are published here. */
      topic: string;
      log: Logger;
      batchSize?: number;
      intervalMs?: number;
      /** How long a published row is kept before it is deleted (default a day). */
      retentionMs?: number;
      /** After Kafka acknowledged `rows` (each with the time the publisher got it). */
      onPublished?: (rows: readonly OutboxRow[], path: PublishPath) => void;
    },
  ) {}

  start(): void {
    // A failed pass is logged by the loop; the next tick tries again.
    this.timer = setInterval(() => void this.kick().catch(() => undefined), this.opts.intervalMs ?? 1000);
    this.purgeTimer = setInterval(
      () =>
        void this.purgePublished().catch((err: unknown) =>
          this.opts.log.warn({ err }, 'deleting published outbox rows failed; will retry'),
        ),
      PURGE_EVERY_MS,
    );
  }

  /**
   * Deletes the rows published longer ago than the retention, in batches (other instances may do
   * the same at once: a row is deleted once either way). Returns how many this call deleted.
   */
  async purgePublished(): Promise<number> {
    const before = new Date(Date.now() - (this.opts.retentionMs ?? 24 * 3600_000));
    let deleted = 0;
    for (;;) {
      const n = await deletePublished(this.opts.db, this.opts.topic, before, PURGE_BATCH);
      deleted += n;
      if (n < PURGE_BATCH || this.stopped) return deleted;
    }
  }

  /**
   * A transaction's rows, right after its commit, with the account's older rows its insert found
   * unpublished (`null`: too many to read, a pass sends them and these): sent as soon as the loop
   * gets to them.
   */
  committed(rows: readonly OutboxRow[], older: readonly OutboxRow[] | null): void {
    if (this.stopped) return; // still in the table: the final pass or the next start sends them
    const now = Date.now();
    const fresh = rows.filter((r) => !this.swept.has(r.id)).map((r) => ({ ...r, committedAt: now }));
    if (fresh.length === 0) return;
    this.handed += fresh.length;
    if (older === null) this.leftToSweep += fresh.length;
    else {
      this.queue.push(...fresh);
      for (const r of older) if (!this.sent(r.id)) this.older.set(r.id, r);
    }
    this.run();
  }

  /** A pass over the table; resolves when one that started after the call has finished. */
  kick(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      (this.sweepWaiters ??= []).push({ resolve, reject });
    });
    this.run();
    return done;
  }

  /**
   * Resolves once every row handed over before the call was sent, or was left to a sweep that
   * has run since (if that failed, the rows wait in the table for the next). Never rejects.
   */
  settled(): Promise<void> {
    if (this.finished >= this.handed) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ upTo: this.handed, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.purgeTimer);
    await this.settled();
    await this.loop;
  }

  private run(): void {
    this.loop ??= this.work().finally(() => {
      this.loop = undefined;
    });
  }

  private finish(n: number): void {
    this.finished += n;
    const due = this.settleWaiters.filter((w) => w.upTo <= this.finished);
    if (due.length === 0) return;
    this.settleWaiters = this.settleWaiters.filter((w) => w.upTo > this.finished);
    for (const w of due) w.resolve();
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.sweepWaiters || this.leftToSweep > 0) {
        const waiters = this.sweepWaiters ?? [];
        this.sweepWaiters = undefined;
        try {
          await this.sweep();
          for (const w of waiters) w.resolve();
        } catch (err) {
          this.opts.log.warn({ err }, 'outbox pass failed; will retry');
          for (const w of waiters) w.reject(err);
          // Kafka or Postgres is away: direct sends would fail too. Everything queued is in the
          // table, for the next pass.
          this.giveUpQueue();
          return;
        }
        continue;
      }
      if (this.queue.length === 0) return;
      const handed = this.queue.splice(0);
      const mine = new Set(handed.map((r) => r.id));
      const older = [...this.older.values()].filter((r) => !mine.has(r.id) && !this.sent(r.id));
      this.older.clear();
      // In id order: an account's older rows before its new ones (its ids grow under its lock).
      const rows = [...older, ...handed].sort(byOutboxId);
      try {
        await this.send(rows, 'direct');
        for (const r of rows) this.remember(r.id);
      } catch (err) {
        this.opts.log.warn({ err, rows: rows.length }, 'publishing order events failed; sweeping the outbox');
        this.leftToSweep += handed.length;
        continue;
      }
      this.finish(handed.length);
      // A failed mark only means a repeat later (a pass finds the rows unpublished).
      await markPublished(this.opts.db, rows).catch((err: unknown) =>
        this.opts.log.warn({ err }, 'marking published order events failed; they will be sent again'),
      );
    }
  }

  /** Whether this process sent the row lately (a pass, or directly). */
  private sent(id: string): boolean {
    return this.swept.has(id) || this.recentlySent.has(id);
  }

  private remember(id: string): void {
    this.recentlySent.add(id);
    if (this.recentlySent.size > RECENTLY_SENT) {
      const oldest = this.recentlySent.values().next();
      if (!oldest.done) this.recentlySent.delete(oldest.value);
    }
  }

  private giveUpQueue(): void {
    const n = this.queue.length + this.leftToSweep;
    this.queue = [];
    this.older.clear();
    this.leftToSweep = 0;
    this.finish(n);
  }

  /** Sends and marks unpublished rows in id order until none is left (or another holds the lock). */
  private async sweep(): Promise<void> {
    const size = this.opts.batchSize ?? 500;
    this.swept = new Set();
    for (;;) {
      const sent = await publishOldest(this.opts.db, this.opts.topic, size, async (rows) => {
        await this.send(rows, 'sweep');
        for (const r of rows) this.swept.add(r.id);
      });
      if (sent < size) break;
    }
    // Handed over and sent by the pass (it reads every committed row): not again.
    const before = this.queue.length;
    this.queue = this.queue.filter((r) => !this.swept.has(r.id));
    for (const id of this.older.keys()) if (this.swept.has(id)) this.older.delete(id);
    this.finish(before - this.queue.length + this.leftToSweep);
    this.leftToSweep = 0;
  }

  private async send(rows: OutboxRow[], path: PublishPath): Promise<void> {
    await this.opts.producer.send(
      'orderEvents',
      rows.map((r) => ({ key: r.record_key, value: r.payload })),
    );
    this.opts.onPublished?.(rows, path);
  }
}
