import type { Watchlist } from '@tickstream/contracts';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { useObservable } from '../../state/use-observable';
import { useServices } from '../context';
import { QuoteRow } from './QuoteRow';
import { ColumnHeaders } from '../ColumnHeaders';

export function QuoteTable({ list, selected }: { list: Watchlist; selected: string | null }) {
  const { market, watchlists } = useServices();
  useObservable(market);
  const [error, setError] = useState<string | null>(null);

  const act = (op: () => Promise<void>) => {
    setError(null);
    op().catch((err: unknown) => setError(describeError(err)));
  };

  if (list.symbols.length === 0) return <p class="empty">No symbols yet: add one above.</p>;
  return (
    <div class="table-wrap">
      <table class="quotes" aria-label={`Quotes of ${list.name}`} aria-describedby="quotes-help">
        <ColumnHeaders
          columns={[
            { label: 'Symbol' },
            { label: 'Bid', class: 'num bid' },
            { label: 'Ask', class: 'num ask' },
            { label: 'Last', class: 'num' },
            {
              label: 'Chg %',
              class: 'num',
              title: "Change since the previous session's close, or since the first price seen",
            },
            { label: 'Actions', class: 'actions-col', srOnly: true },
          ]}
        />
        <tbody>
          {list.symbols.map((symbol, i) => (
            <QuoteRow
              key={symbol}
              state={market.get(symbol)}
              selected={symbol === selected}
              first={i === 0}
              last={i === list.symbols.length - 1}
              onSelect={() => watchlists.selectSymbol(symbol)}
              onMove={(delta) => act(() => watchlists.move(list.id, symbol, delta))}
              onRemove={() => act(() => watchlists.removeSymbol(list.id, symbol))}
            />
          ))}
        </tbody>
      </table>
      <p id="quotes-help" class="hint keys">
        Enter selects a row · Alt+↑/↓ moves it · Delete removes it
      </p>
      <p class="inline-error" role="alert">
        {error}
      </p>
    </div>
  );
}
