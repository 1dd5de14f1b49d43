import { fmtPrice, fmtQty, fmtUsd, tone, toneUsd } from '../../format';
import type { PositionLine } from '../../state/portfolio';
import { useServices } from '../context';
import { ColumnHeaders } from '../ColumnHeaders';

export function PositionsTable({ lines }: { lines: PositionLine[] }) {
  const { watchlists } = useServices();
  if (lines.length === 0) return <p class="empty">No positions.</p>;
  return (
    <table class="grid-table" data-testid="positions">
      <ColumnHeaders
        columns={[
          { label: 'Symbol' },
          { label: 'Qty', class: 'num' },
          { label: 'Avg price', class: 'num' },
          { label: 'Mark', class: 'num wide-only' },
          { label: 'Unrealized', class: 'num' },
          { label: 'Realized', class: 'num' },
        ]}
      />
      <tbody>
        {lines.map((p) => {
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
              <td class="num wide-only">{fmtPrice(p.mark)}</td>
              <td class={`num ${toneUsd(p.unrealized)}`} data-testid="position-unrealized">
                {fmtUsd(p.unrealized)}
              </td>
              <td class={`num ${toneUsd(p.realizedPnl)}`}>{fmtUsd(p.realizedPnl)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
