import type { OrderEvent } from '@tickstream/contracts';
import type { Knex } from 'knex';

/** A row of the outbox as the publisher handles it. */
export interface OutboxRow {
  /** bigserial: rows of one account get increasing ids in commit order (inserted under its lock). */
  id: string;
  record_key: string;
  payload: OrderEvent;
  /**
   * When the publisher got the row: the hand-over right after the commit, or for a row a pass
   * found (a crash, another instance), its created_at.
   */
  committedAt?: number;
}

/**
 * Under the topic's transaction-scoped advisory lock (one publisher per topic at a time, across
 * instances), hands the oldest unpublished rows, in id order, to `publish`, then marks them.
 * Returns how many rows were published; 0 also when another publisher held the lock.
 */
export async function publishOldest(
  db: Knex,
  topic: string,
  limit: number,
  publish: (rows: OutboxRow[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (trx) => {
    const { rows: lock } = (await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', [
      topic,
    ])) as { rows: Array<{ ok: boolean }> };
    if (!lock[0]?.ok) return 0;
    const found = (await trx('outbox')
      .where({ topic_id: topic })
      .whereNull('published_at')
      .orderBy('id')
      .limit(limit)
      .select('id', 'record_key', 'payload', 'created_at')) as Array<OutboxRow & { created_at: Date }>;
    if (found.length === 0) return 0;
    const rows = found.map(({ created_at, ...r }) => ({ ...r, committedAt: created_at.getTime() }));
    await publish(rows);
    await markPublished(trx, rows);
    return rows.length;
  });
}

/**
 * Whether an unpublished row of one of these rows' keys is older than the oldest of them: then
 * they must not overtake it, and go out through `publishOldest` instead. A row older than a
 * committed row of the same account is itself committed (the account lock orders them), so what
 * this reads cannot change afterwards except by being published.
 */
export async function olderUnpublished(
  db: Knex,
  topic: string,
  rows: readonly OutboxRow[],
): Promise<boolean> {
  const firstOfKey = new Map<string, bigint>();
  for (const r of rows) {
    const id = BigInt(r.id);
    const first = firstOfKey.get(r.record_key);
    if (first === undefined || id < first) firstOfKey.set(r.record_key, id);
  }
  const { rows: found } = (await db.raw(
    `SELECT 1 FROM outbox o
       JOIN unnest(?::text[], ?::bigint[]) AS mine(record_key, first_id)
         ON o.record_key = mine.record_key AND o.id < mine.first_id
      WHERE o.topic_id = ? AND o.published_at IS NULL
      LIMIT 1`,
    [[...firstOfKey.keys()], [...firstOfKey.values()].map(String), topic],
  )) as { rows: unknown[] };
  return found.length > 0;
}

export async function markPublished(db: Knex, rows: readonly OutboxRow[]): Promise<void> {
  await db('outbox')
    .whereIn(
      'id',
      rows.map((r) => r.id),
    )
    .update({ published_at: db.fn.now() });
}

/**
 * Deletes up to `limit` of the topic's rows published before `before`, oldest first; returns how
 * many. Published rows are only a record of what was sent (order_events keeps the history), so
 * without this the table grows by every event ever published.
 */
export async function deletePublished(db: Knex, topic: string, before: Date, limit: number): Promise<number> {
  return db('outbox')
    .whereIn(
      'id',
      db('outbox')
        .select('id')
        .where({ topic_id: topic })
        .whereNotNull('published_at')
        .where('published_at', '<', before)
        .orderBy('id')
        .limit(limit),
    )
    .delete();
}
