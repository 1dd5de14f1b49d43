import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Knex } from 'knex';
import {
  addSymbolBody,
  createWatchlistBody,
  patchWatchlistBody,
  replaceSymbolsBody,
  symbolField,
} from '@tickstream/contracts';
import type { Watchlist } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { authOf, parse, pathId } from '../request';
import { requireAuth } from '../auth/middleware';
import type { TokenService } from '../auth/tokens';
import type { PublishDemand } from './demand';
import { publishDemandFor } from './demand';
import type { Change } from './store';
import {
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
    const { name, symbols } = parse(createWatchlistBody, req.body);
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
    res.json(await updateWatchlist(db, authOf(req).userId, id, parse(patchWatchlistBody, req.body)));
  });

  router.delete('/watchlists/:id', async (req, res) => {
    const { userId } = authOf(req);
    const { affected } = await deleteWatchlist(db, userId, pathId(req.params.id, 'watchlist'));
    await published(userId, affected, true);
    res.status(204).end();
  });

  // A change of one watchlist's symbols, made as its owner: the symbols it moved are published.
  const symbolsChange =
    (change: (userId: string, id: string, req: Request) => Promise<Change<Watchlist>>) =>
    async (req: Request, res: Response) => {
      const { userId } = authOf(req);
      const { result, affected } = await change(userId, pathId(req.params.id, 'watchlist'), req);
      await published(userId, affected);
      res.json(result);
    };

  router.put(
    '/watchlists/:id/symbols',
    symbolsChange((userId, id, req) =>
      replaceSymbols(db, userId, id, parse(replaceSymbolsBody, req.body).symbols),
    ),
  );

  router.post(
    '/watchlists/:id/symbols',
    symbolsChange((userId, id, req) => addSymbol(db, userId, id, parse(addSymbolBody, req.body).symbol)),
  );

  router.delete(
    '/watchlists/:id/symbols/:symbol',
    symbolsChange((userId, id, req) =>
      removeSymbol(db, userId, id, parse(symbolField, req.params.symbol, 'symbol')),
    ),
  );

  return router;
}
