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
   * or a later insert of its account found (a crash, another instance), its created_at.
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

/** At most this many older unpublished rows come back with an account's insert (see below). */
export const OLDER_ROWS_LIMIT = 100;

/** What `insertOutbox` wrote, and what of the account was still unpublished before it. */
export interface InsertedOutbox {
  /** Ids of the inserted rows, in the order of the events given. */
  ids: string[];
  /**
   * The account's unpublished rows older than these, oldest first, when the caller asked (its
   * first insert of the transaction): they go out right before them. `null`: more than
   * `OLDER_ROWS_LIMIT`, left to a pass over the table, and the new rows with them.
   */
  older: OutboxRow[] | null;
}

/**
 * Inserts one account's events into the outbox as the last statement of `chain` (the caller's
 * other writes as CTEs). With `withOlder`, the same statement also reads the account's rows still
 * unpublished, so the publisher can send them in order right after the commit without a query of
 * its own. Under the account's lock they are all committed and older than the new rows (whose
 * insert this statement's snapshot does not see), and no other can appear before the commit; a
 * row inserted earlier in the same transaction would be seen, so only a first insert asks.
 */
export async function insertOutbox(
  trx: Knex.Transaction,
  chain: Knex.QueryBuilder,
  opts: { topic: string; accountId: string; events: readonly OrderEvent[]; withOlder: boolean },
): Promise<InsertedOutbox> {
  const { topic, accountId, events } = opts;
  const inserted = chain.with(
    'new_outbox',
    trx('outbox')
      .insert(events.map((e) => ({ topic_id: topic, record_key: accountId, payload: JSON.stringify(e) })))
      .returning('id'),
  );
  // Rows of the insert carry no payload: that tells them from the older ones in one result.
  const query = inserted
    .select('id', trx.raw('NULL::jsonb AS payload'), trx.raw('NULL::timestamptz AS created_at'))
    .from('new_outbox');
  if (opts.withOlder)
    query.unionAll(
      trx('outbox')
        .select('id', 'payload', 'created_at')
        .where({ topic_id: topic, record_key: accountId })
        .whereNull('published_at')
        .orderBy('id')
        .limit(OLDER_ROWS_LIMIT + 1),
      true,
    );
  const rows = (await query) as Array<{
    id: string | number;
    payload: OrderEvent | null;
    created_at: Date | null;
  }>;
  const sorted = rows.map((r) => ({ ...r, id: String(r.id) })).sort(byOutboxId);
  const ids = sorted.filter((r) => r.payload === null).map((r) => r.id);
  const older = sorted
    .filter((r) => r.payload !== null)
    .map((r) => ({
      id: r.id,
      record_key: accountId,
      payload: r.payload as OrderEvent,
      committedAt: (r.created_at as Date).getTime(),
    }));
  return { ids, older: older.length > OLDER_ROWS_LIMIT ? null : older };
}

/** Ascending outbox id (a bigserial, as text: numbers beyond a double's exact range compare right). */
export function byOutboxId(a: { id: string }, b: { id: string }): number {
  return BigInt(a.id) < BigInt(b.id) ? -1 : 1;
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
