import type { AuthSession } from '../api/auth';
import { ApiClient } from '../api/client';
import { MarketStore } from '../state/market-store';
import { ModelInfoStore } from '../state/model-info';
import { PrefsStore } from '../state/prefs';
import { TradingStore } from '../state/trading-store';
import { WatchlistStore } from '../state/watchlist-store';
import { MarketStream } from '../stream/market-stream';
import type { Services } from './context';

/**
 * The clients and stores of a signed-in session, wired to each other and to the one market
 * stream. Tests pass an `api` with canned answers and `prefs` over their own storage.
 */
export function buildServices(
  auth: AuthSession,
  api: ApiClient = new ApiClient(auth),
  prefs: PrefsStore = new PrefsStore(auth.user?.id ?? 'anonymous'),
): Services {
  const stream = new MarketStream(auth);
  const market = new MarketStore();
  const trading = new TradingStore(api);
  market.attach(stream.socket);
  trading.attach(stream.socket);
  return {
    auth,
    api,
    stream,
    market,
    trading,
    watchlists: new WatchlistStore(api),
    prefs,
    models: new ModelInfoStore(api),
  };
}
