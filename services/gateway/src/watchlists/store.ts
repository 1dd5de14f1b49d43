import type { Knex } from 'knex';
import type { Watchlist } from '@tickstream/contracts';
import { MAX_SYMBOLS_PER_WATCHLIST as MAX_SYMBOLS, MAX_WATCHLISTS } from '@tickstream/contracts';
import { ConflictError, NotFoundError } from '../request';

/** A change and the symbols whose membership in the list changed (their demand may have moved). */
export interface Change<T> {
  result: T;
  affected: string[];
}

interface ListRow {
  id: string;
  name: string;
  position: number;
  created_at: Date;
}

const UNIQUE_VIOLATION = '23505';

function nameTaken(err: unknown): never {
  if ((err as { code?: string }).code === UNIQUE_VIOLATION)
    throw new ConflictError('NAME_TAKEN', 'you already have a watchlist with this name');
  throw err;
}

const difference = (a: readonly string[], b: readonly string[]) => a.filter((s) => !b.includes(s));
const changed = (before: readonly string[], after: readonly string[]) => [
  ...difference(before, after),
  ...difference(after, before),
];

async function symbolsOf(db: Knex | Knex.Transaction, ids: string[]): Promise<Map<string, string[]>> {
  const rows = (await db('watchlist_symbols')
    .whereIn('watchlist_id', ids)
    .orderBy(['watchlist_id', 'position'])
    .select('watchlist_id', 'symbol')) as {
    watchlist_id: string;
    symbol: string;
  }[];
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const r of rows) map.get(r.watchlist_id)?.push(r.symbol);
  return map;
}

const toWatchlist = (row: ListRow, symbols: string[]): Watchlist => ({
  id: row.id,
  name: row.name,
  position: row.position,
  symbols,
  createdAt: row.created_at.toISOString(),
});

export async function listWatchlists(db: Knex | Knex.Transaction, userId: string): Promise<Watchlist[]> {
  const rows = (await db('watchlists')
    .where({ user_id: userId })
    .orderBy([{ column: 'position' }, { column: 'created_at' }])) as ListRow[];
  const symbols = await symbolsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toWatchlist(r, symbols.get(r.id) ?? []));
}

/** The user's list; someone else's id is reported exactly like an unknown one. */
export async function getWatchlist(
  db: Knex | Knex.Transaction,
  userId: string,
  id: string,
): Promise<Watchlist> {
  const row = (await db('watchlists').where({ id, user_id: userId }).first()) as ListRow | undefined;
  if (!row) throw new NotFoundError('watchlist');
  return toWatchlist(row, (await symbolsOf(db, [id])).get(id) ?? []);
}

/**
 * Runs `work` holding a lock on the user's row, so concurrent requests of one user cannot both
 * pass a maximum check or interleave renumbering; other users are not blocked.
 */
function asUser<T>(db: Knex, userId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).forUpdate().first('id');
    return work(trx);
  });
}

async function writeSymbols(trx: Knex.Transaction, id: string, symbols: readonly string[]): Promise<void> {
  await trx('watchlist_symbols').where({ watchlist_id: id }).delete();
  if (symbols.length > 0)
    await trx('watchlist_symbols').insert(
      symbols.map((symbol, position) => ({ watchlist_id: id, symbol, position })),
    );
}

export function createWatchlist(
  db: Knex,
  userId: string,
  name: string,
  symbols: readonly string[],
): Promise<Change<Watchlist>> {
  return asUser(db, userId, async (trx) => {
    const [{ count, max } = { count: 0, max: null }] = (await trx('watchlists')
      .where({ user_id: userId })
      .count({ count: '*' })
      .max({ max: 'position' })) as {
      count: string | number;
      max: number | null;
    }[];
    if (Number(count) >= MAX_WATCHLISTS)
      throw new ConflictError('LIMIT_REACHED', `at most ${MAX_WATCHLISTS} watchlists per account`);
    const [row] = (await trx('watchlists')
      .insert({ user_id: userId, name, position: max === null ? 0 : max + 1 })
      .returning('*')
      .catch(nameTaken)) as ListRow[];
    if (!row) throw new Error('insert returned no row');
    await writeSymbols(trx, row.id, symbols);
    return { result: toWatchlist(row, [...symbols]), affected: [...symbols] };
  });
}

/** Renames and/or moves a list to `position` (0-based among the user's lists, clamped). */
export function updateWatchlist(
  db: Knex,
  userId: string,
  id: string,
  patch: { name?: string | undefined; position?: number | undefined },
): Promise<Watchlist> {
  return asUser(db, userId, async (trx) => {
    await getWatchlist(trx, userId, id);
    if (patch.name !== undefined)
      await trx('watchlists').where({ id }).update({ name: patch.name }).catch(nameTaken);
    if (patch.position !== undefined) {
      const ids = (
        (await trx('watchlists')
          .where({ user_id: userId })
          .orderBy(['position', 'created_at'])
          .select('id')) as { id: string }[]
      ).map((r) => r.id);
      const order = ids.filter((x) => x !== id);
      order.splice(Math.min(patch.position, order.length), 0, id);
      for (const [position, listId] of order.entries())
        await trx('watchlists').where({ id: listId }).update({ position });
    }
    return getWatchlist(trx, userId, id);
  });
}

export function deleteWatchlist(db: Knex, userId: string, id: string): Promise<Change<void>> {
  return asUser(db, userId, async (trx) => {
    const list = await getWatchlist(trx, userId, id);
    await trx('watchlists').where({ id }).delete();
    return { result: undefined, affected: list.symbols };
  });
}

/** Replaces the list's symbols with `symbols`, in that order: adds, removes and reorders at once. */
export function replaceSymbols(
  db: Knex,
  userId: string,
  id: string,
  symbols: readonly string[],
): Promise<Change<Watchlist>> {
  return asUser(db, userId, async (trx) => {
    const before = await getWatchlist(trx, userId, id);
    await writeSymbols(trx, id, symbols);
    return { result: { ...before, symbols: [...symbols] }, affected: changed(before.symbols, symbols) };
  });
}

/** Appends a symbol; adding one already on the list changes nothing. */
export function addSymbol(db: Knex, userId: string, id: string, symbol: string): Promise<Change<Watchlist>> {
  return asUser(db, userId, async (trx) => {
    const before = await getWatchlist(trx, userId, id);
    if (before.symbols.includes(symbol)) return { result: before, affected: [] };
    if (before.symbols.length >= MAX_SYMBOLS)
      throw new ConflictError('LIMIT_REACHED', `at most ${MAX_SYMBOLS} symbols per watchlist`);
    await writeSymbols(trx, id, [...before.symbols, symbol]);
    return { result: { ...before, symbols: [...before.symbols, symbol] }, affected: [symbol] };
  });
}

export function removeSymbol(
  db: Knex,
  userId: string,
  id: string,
  symbol: string,
): Promise<Change<Watchlist>> {
  return asUser(db, userId, async (trx) => {
    const before = await getWatchlist(trx, userId, id);
    if (!before.symbols.includes(symbol)) throw new NotFoundError('symbol on this watchlist');
    const after = before.symbols.filter((s) => s !== symbol);
    await writeSymbols(trx, id, after);
    return { result: { ...before, symbols: after }, affected: [symbol] };
  });
}
