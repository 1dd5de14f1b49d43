import { Router } from 'express';
import type { Knex } from 'knex';
import { brokerKeysBody } from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { authOf, NotFoundError, parse } from '../request';
import { requireAuth } from '../auth/middleware';
import type { TokenService } from '../auth/tokens';
import type { AlpacaEndpoints } from './alpaca-account';
import { checkAlpacaKeys } from './alpaca-account';
import { brokerKeysInfo, deleteBrokerKeys, saveBrokerKeys } from './store';

export interface BrokerKeyRoutesDeps {
  db: Knex;
  tokens: TokenService;
  masterKey: Buffer;
  log: Logger;
  /** Where keys are checked before they are stored; absent (tests of other routes), they are stored unchecked. */
  alpaca?: AlpacaEndpoints;
}

/** /broker-keys: store (sealed), show masked, delete. The secret never leaves in any answer or log. */
export function brokerKeyRoutes(deps: BrokerKeyRoutesDeps): Router {
  const { db, log } = deps;
  const router = Router();
  const auth = requireAuth(deps.tokens);

  router.put('/broker-keys', auth, async (req, res) => {
    const userId = authOf(req).userId;
    const keys = parse(brokerKeysBody, req.body);
    // Checked first: keys that cannot open the account are never stored.
    const account = deps.alpaca ? await checkAlpacaKeys(deps.alpaca, keys) : null;
    const stored = await saveBrokerKeys(db, deps.masterKey, userId, keys);
    log.info(
      { userId, keyIdMasked: stored.keyIdMasked, paper: stored.paper, verified: account !== null },
      'broker keys stored',
    );
    res.json(account ? { ...stored, account } : stored);
  });

  router.get('/broker-keys', auth, async (req, res) => {
    // No keys stored is a normal state (Settings asks each time it opens), so 200 null, not 404.
    res.json((await brokerKeysInfo(db, authOf(req).userId)) ?? null);
  });

  router.delete('/broker-keys', auth, async (req, res) => {
    const userId = authOf(req).userId;
    if (!(await deleteBrokerKeys(db, userId))) throw new NotFoundError('broker keys');
    log.info({ userId }, 'broker keys deleted');
    res.status(204).end();
  });

  return router;
}
