import { useObservable } from '../../state/use-observable';
import { useServices } from '../context';
import { AddSymbolForm } from './AddSymbolForm';
import { QuoteTable } from './QuoteTable';
import { WatchlistPicker } from './WatchlistPicker';

export function WatchlistPanel() {
  const { watchlists, stream } = useServices();
  const state = useObservable(watchlists);
  const { error } = useObservable(stream);
  const list = watchlists.selected;
  return (
    <section class="panel watch" aria-labelledby="watch-title">
      <h2 id="watch-title" class="sr-only">
        Watchlists
      </h2>
      <WatchlistPicker />
      {list && <AddSymbolForm listId={list.id} />}
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
      {list ? (
        <QuoteTable list={list} selected={state.symbol} />
      ) : (
        state.loaded && (
          <p class="empty">Create a watchlist to stream quotes, e.g. “Tech” with AAPL and MSFT.</p>
        )
      )}
    </section>
  );
}
