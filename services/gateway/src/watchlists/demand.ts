import type { Knex } from 'knex';
import type { SymbolDemand } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';

export type PublishDemand = (records: SymbolDemand[]) => Promise<void>;

async function countUsers(db: Knex, symbols?: readonly string[]): Promise<Map<string, number>> {
  const q = db('watchlist_symbols as s')
    .join('watchlists as w', 'w.id', 's.watchlist_id')
    .groupBy('s.symbol')
    .select('s.symbol')
    .countDistinct({ demand: 'w.user_id' });
  if (symbols) q.whereIn('s.symbol', symbols);
  const rows = (await q) as { symbol: string; demand: string | number }[];
  return new Map(rows.map((r) => [r.symbol, Number(r.demand)]));
}

/** Demand of each given symbol: distinct users whose watchlists hold it, 0 when nobody does. */
export async function demandOf(db: Knex, symbols: readonly string[]): Promise<SymbolDemand[]> {
  if (symbols.length === 0) return [];
  const counts = await countUsers(db, symbols);
  const now = Date.now();
  return [...new Set(symbols)].map((symbol) => ({
    symbol,
    demand: counts.get(symbol) ?? 0,
    updated_at: now,
  }));
}

/**
 * Every symbol somebody watches, with its demand; the gateway publishes it at start so ingest
 * knows what to fetch even if an earlier change was never published.
 */
export async function allDemand(db: Knex): Promise<SymbolDemand[]> {
  const counts = await countUsers(db);
  const now = Date.now();
  return [...counts]
    .map(([symbol, demand]) => ({ symbol, demand, updated_at: now }))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** Symbols on any of the user's watchlists: what the socket server lets them stream. */
export async function userWatchlistSymbols(db: Knex, userId: string): Promise<Set<string>> {
  const rows = (await db('watchlist_symbols as s')
    .join('watchlists as w', 'w.id', 's.watchlist_id')
    .where('w.user_id', userId)
    .distinct('s.symbol')) as { symbol: string }[];
  return new Set(rows.map((r) => r.symbol));
}

/**
 * Publishes the demand of symbols whose membership just changed. Runs after the change is
 * committed; a failure is logged, not returned to the user, since the change itself stands and
 * the gateway republishes all demand at its next start.
 */
export async function publishDemandFor(
  db: Knex,
  publish: PublishDemand,
  symbols: readonly string[],
  log: Logger,
): Promise<void> {
  if (symbols.length === 0) return;
  try {
    await publish(await demandOf(db, symbols));
  } catch (err) {
    log.error({ err, symbols }, 'could not publish symbol demand');
  }
}
