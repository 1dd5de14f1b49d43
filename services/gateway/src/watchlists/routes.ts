import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Logger } from '@tickstream/platform';
import { authOf, parse, pathId, symbolSchema } from '../request';
import { requireAuth } from '../auth/middleware';
import type { TokenService } from '../auth/tokens';
import type { PublishDemand } from './demand';
import { publishDemandFor } from './demand';
import {
  MAX_SYMBOLS,
  MAX_WATCHLISTS,
  addSymbol,
  createWatchlist,
  deleteWatchlist,
  getWatchlist,
  listWatchlists,
  removeSymbol,
  replaceSymbols,
  updateWatchlist,
} from './store';

/**
 * Told after a change of `userId`'s watchlists is committed, with the symbols whose membership
 * changed (`deleted` when a whole list went): open sockets must stop what the user no longer
 * watches. Must not throw: the change stands whatever happens next.
 */
export type WatchlistsChanged = (change: {
  userId: string;
  affected: string[];
  deleted: boolean;
}) => Promise<void>;

export interface WatchlistRoutesDeps {
  db: Knex;
  tokens: TokenService;
  publishDemand: PublishDemand;
  log: Logger;
  onChange?: WatchlistsChanged;
}

// Names are stored verbatim (queries are parameterised, answers are JSON); only invisible
// control characters are refused, since they make two names look identical.
const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .refine((s) => !/\p{Cc}/u.test(s), { message: 'control characters are not allowed' });

const symbolsSchema = z
  .array(symbolSchema)
  .max(MAX_SYMBOLS, `at most ${MAX_SYMBOLS} symbols per watchlist`)
  .transform((list) => [...new Set(list)]);

const createSchema = z.object({ name: nameSchema, symbols: symbolsSchema.default([]) }).strict();
const patchSchema = z
  .object({ name: nameSchema.optional(), position: z.number().int().min(0).max(MAX_WATCHLISTS).optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.position !== undefined, { message: 'send name and/or position' });
const replaceSchema = z.object({ symbols: symbolsSchema }).strict();
const addSchema = z.object({ symbol: symbolSchema }).strict();

/**
 * /watchlists CRUD; every change that moves symbol membership publishes the symbols' demand and
 * tells `onChange` (which stops the streams of removed symbols on every replica).
 */
export function watchlistRoutes(deps: WatchlistRoutesDeps): Router {
  const { db, log } = deps;
  const router = Router();
  router.use('/watchlists', requireAuth(deps.tokens));
  const published = async (userId: string, affected: string[], deleted = false) => {
    await publishDemandFor(db, deps.publishDemand, affected, log);
    if (affected.length > 0) await deps.onChange?.({ userId, affected, deleted });
  };

  router.get('/watchlists', async (req, res) => {
    res.json(await listWatchlists(db, authOf(req).userId));
  });

  router.post('/watchlists', async (req, res) => {
    const { name, symbols } = parse(createSchema, req.body);
    const { userId } = authOf(req);
    const { result, affected } = await createWatchlist(db, userId, name, symbols);
    await published(userId, affected);
    res.status(201).json(result);
  });

  router.get('/watchlists/:id', async (req, res) => {
    res.json(await getWatchlist(db, authOf(req).userId, pathId(req.params.id, 'watchlist')));
  });

  router.patch('/watchlists/:id', async (req, res) => {
    const id = pathId(req.params.id, 'watchlist');
    res.json(await updateWatchlist(db, authOf(req).userId, id, parse(patchSchema, req.body)));
  });

  router.delete('/watchlists/:id', async (req, res) => {
    const { userId } = authOf(req);
    const { affected } = await deleteWatchlist(db, userId, pathId(req.params.id, 'watchlist'));
    await published(userId, affected, true);
    res.status(204).end();
  });

  router.put('/watchlists/:id/symbols', async (req, res) => {
    const id = pathId(req.params.id, 'watchlist');
    const { symbols } = parse(replaceSchema, req.body);
    const { userId } = authOf(req);
    const { result, affected } = await replaceSymbols(db, userId, id, symbols);
    await published(userId, affected);
    res.json(result);
  });

  router.post('/watchlists/:id/symbols', async (req, res) => {
    const id = pathId(req.params.id, 'watchlist');
    const { symbol } = parse(addSchema, req.body);
    const { userId } = authOf(req);
    const { result, affected } = await addSymbol(db, userId, id, symbol);
    await published(userId, affected);
    res.json(result);
  });

  router.delete('/watchlists/:id/symbols/:symbol', async (req, res) => {
    const id = pathId(req.params.id, 'watchlist');
    const symbol = parse(symbolSchema, req.params.symbol, 'symbol');
    const { userId } = authOf(req);
    const { result, affected } = await removeSymbol(db, userId, id, symbol);
    await published(userId, affected);
    res.json(result);
  });

  return router;
}
