import type { PositionView } from '../../api/types';
import { fmtPrice, fmtQty, fmtUsd, tone } from '../../format';
import { useObservable } from '../../state/use-observable';
import { useServices } from '../context';

export function PositionsTable({ positions }: { positions: PositionView[] }) {
  const { market, watchlists } = useServices();
  useObservable(market);
  if (positions.length === 0) return <p class="empty">No positions.</p>;
  return (
    <table class="grid-table" data-testid="positions">
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col" class="num">
            Qty
          </th>
          <th scope="col" class="num">
            Avg price
          </th>
          <th scope="col" class="num">
            Mark
          </th>
          <th scope="col" class="num">
            Unrealized
          </th>
          <th scope="col" class="num">
            Realized
          </th>
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => {
          const s = market.get(p.symbol);
          // Marked where it could be closed now: the bid for a long, the ask for a short.
          const live = p.qty > 0 ? s.bid : p.qty < 0 ? s.ask : null;
          const mark = live ?? p.markPrice;
          const unrealized = live !== null ? (live - p.avgPrice) * p.qty : p.unrealizedPnl;
          return (
            <tr key={p.symbol} data-symbol={p.symbol}>
              <th scope="row">
                <button class="linkish" type="button" onClick={() => watchlists.selectSymbol(p.symbol)}>
                  {p.symbol}
                </button>
              </th>
              <td class={`num ${tone(p.qty)}`} data-testid="position-qty">
                {fmtQty(p.qty)}
              </td>
              <td class="num">{fmtPrice(p.avgPrice)}</td>
              <td class="num">{fmtPrice(mark)}</td>
              <td class={`num ${tone(unrealized)}`}>{fmtUsd(unrealized)}</td>
              <td class={`num ${tone(p.realizedPnl)}`}>{fmtUsd(p.realizedPnl)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
