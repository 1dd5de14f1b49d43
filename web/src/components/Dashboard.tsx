import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AuthSession } from '../api/auth';
import { ApiClient } from '../api/client';
import { describeError } from '../api/errors';
import { MarketStore } from '../state/market-store';
import { ModelInfoStore } from '../state/model-info';
import { PrefsStore } from '../state/prefs';
import { TradingStore } from '../state/trading-store';
import { useObservable } from '../state/use-observable';
import { WatchlistStore } from '../state/watchlist-store';
import { MarketStream } from '../stream/market-stream';
import { Blotter } from './blotter/Blotter';
import { ChartPanel } from './chart/ChartPanel';
import type { Services } from './context';
import { ServicesContext } from './context';
import { Header } from './Header';
import { Notices } from './Notices';
import { OrderTicket } from './ticket/OrderTicket';
import { PredictionPanel } from './PredictionPanel';
import { ReplacedBanner } from './ReplacedBanner';
import { SettingsDialog } from './settings/SettingsDialog';
import { WatchlistPanel } from './watchlist/WatchlistPanel';

function buildServices(auth: AuthSession): Services {
  const api = new ApiClient(auth);
  const stream = new MarketStream(auth);
  const market = new MarketStore();
  const trading = new TradingStore(api);
  market.attach(stream.socket);
  trading.attach(stream.socket);
  const prefs = new PrefsStore(auth.user?.id ?? 'anonymous');
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

export function Dashboard({ auth }: { auth: AuthSession }) {
  const services = useMemo(() => buildServices(auth), [auth]);
  const { stream, watchlists, trading } = services;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const lists = useObservable(watchlists);

  useEffect(() => {
    stream.start();
    watchlists
      .load()
      .catch((err: unknown) =>
        trading.announce('error', `Could not load your watchlists: ${describeError(err)}`),
      );
    void trading.refresh();
    return () => stream.close();
  }, [services]);

  const symbols = watchlists.selected?.symbols ?? [];
  const key = symbols.join(',');
  useEffect(() => {
    void stream.follow(symbols);
  }, [key, lists.selectedId]);

  return (
    <ServicesContext.Provider value={services}>
      <div class="app">
        <a class="skip" href="#ticket">
          Skip to order ticket
        </a>
        <Header onSettings={() => setSettingsOpen(true)} />
        <ReplacedBanner />
        <main class="grid">
          <WatchlistPanel />
          <ChartPanel />
          <aside class="side-col" aria-label="Prediction and order ticket">
            <PredictionPanel />
            <OrderTicket />
          </aside>
          <Notices />
          <Blotter />
        </main>
        {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      </div>
    </ServicesContext.Provider>
  );
}
