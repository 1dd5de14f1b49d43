import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthSession } from '../api/auth';
import type { ApiClient } from '../api/client';
import type { MarketStore } from '../state/market-store';
import type { ModelInfoStore } from '../state/model-info';
import type { PrefsStore } from '../state/prefs';
import type { TradingStore } from '../state/trading-store';
import type { WatchlistStore } from '../state/watchlist-store';
import type { MarketStream } from '../stream/market-stream';

/** The signed-in user's services; built once per sign-in by the dashboard. */
export interface Services {
  auth: AuthSession;
  api: ApiClient;
  stream: MarketStream;
  market: MarketStore;
  trading: TradingStore;
  watchlists: WatchlistStore;
  prefs: PrefsStore;
  models: ModelInfoStore;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside the dashboard');
  return s;
}
