import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AuthSession } from '../api/auth';
import { describeError } from '../api/errors';
import { useObservable } from '../state/use-observable';
import { Blotter } from './blotter/Blotter';
import { ChartPanel } from './chart/ChartPanel';
import { ServicesContext } from './context';
import { buildServices } from './services';
import { Header } from './Header';
import { Notices } from './Notices';
import { OrderTicket } from './ticket/OrderTicket';
import { PredictionPanel } from './PredictionPanel';
import { ReplacedBanner } from './ReplacedBanner';
import { SettingsDialog } from './settings/SettingsDialog';
import { WatchlistPanel } from './watchlist/WatchlistPanel';

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
