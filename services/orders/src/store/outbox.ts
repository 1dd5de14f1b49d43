import type { OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';
import type { Logger, TypedProducer } from '@tickstream/platform';

interface OutboxRow {
  id: string;
  record_key: string;
  payload: OrderEvent;
}

/**
 * Publishes the outbox to orders.events.v1 in id order and marks rows published. A crash between
 * the send and the mark republishes those rows on the next pass: consumers recognise the repeat
 * by its deterministic event id. `kick()` asks for a pass and resolves when one that started
 * after the call has finished; a timer sweeps for rows left by a crash or by another instance.
 */
export class OutboxPublisher {
  private running?: Promise<void>;
  private pending?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly opts: {
      db: Knex;
      producer: TypedProducer;
      /** Full name of orders.events.v1 in this deployment: only its rows are published here. */
      topic: string;
      log: Logger;
      batchSize?: number;
      intervalMs?: number;
      onPublished?: (events: OrderEvent[]) => void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.kick().catch((err: unknown) => this.opts.log.warn({ err }, 'outbox pass failed; will retry'));
    }, this.opts.intervalMs ?? 1000);
  }

  kick(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
      return this.running;
    }
    // A pass is under way and may have read the outbox before the caller's commit: queue one more.
    this.pending ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        return this.kick();
      });
    return this.pending;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.pending?.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    const size = this.opts.batchSize ?? 500;
    for (;;) {
      const sent = await this.opts.db.transaction(async (trx) => {
        // One publisher per topic at a time, across instances, so events of one account never
        // overtake each other on their way to Kafka.
        const { rows: lock } = (await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', [
          this.opts.topic,
        ])) as { rows: Array<{ ok: boolean }> };
        if (!lock[0]?.ok) return 0;
        const rows = (await trx('outbox')
          .where({ topic_id: this.opts.topic })
          .whereNull('published_at')
          .orderBy('id')
          .limit(size)
          .select('id', 'record_key', 'payload')) as OutboxRow[];
        if (rows.length === 0) return 0;
        await this.opts.producer.send(
          'orderEvents',
          rows.map((r) => ({ key: r.record_key, value: r.payload })),
        );
        await trx('outbox')
          .whereIn(
            'id',
            rows.map((r) => r.id),
          )
          .update({ published_at: trx.fn.now() });
        this.opts.onPublished?.(rows.map((r) => r.payload));
        return rows.length;
      });
      if (sent < size) return;
    }
  }
}
