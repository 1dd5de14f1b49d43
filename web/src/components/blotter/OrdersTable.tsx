import type { OrderView } from '@tickstream/contracts';
import { fmtPrice, fmtQty, fmtTime } from '../../format';
import { describeRejection } from '../../trading/rejections';
import { useServices } from '../context';
import { ColumnHeaders } from '../ColumnHeaders';

const STATUS_TONE: Record<string, string> = {
  FILLED: 'pos',
  REJECTED: 'neg',
  CANCELED: 'muted',
  EXPIRED: 'muted',
  PARTIALLY_FILLED: 'info',
};

export function OrdersTable({
  orders,
  cancellable = false,
  empty,
}: {
  orders: OrderView[];
  cancellable?: boolean;
  empty: string;
}) {
  const { trading } = useServices();
  if (orders.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="grid-table" data-testid={cancellable ? 'open-orders' : 'orders'}>
      <ColumnHeaders
        columns={[
          { label: 'Time', class: 'wide-only' },
          { label: 'Symbol' },
          { label: 'Side' },
          { label: 'Type', class: 'wide-only' },
          { label: 'Qty', class: 'num' },
          { label: 'Filled', class: 'num wide-only' },
          { label: 'Price', class: 'num' },
          { label: 'Avg fill', class: 'num wide-only' },
          { label: 'Status' },
          cancellable && { label: 'Cancel', srOnly: true },
        ]}
      />
      <tbody>
        {orders.map((o) => (
          <tr key={o.orderId} data-order-id={o.orderId} data-status={o.status}>
            <td class="mono wide-only">{fmtTime(Date.parse(o.updatedAt))}</td>
            <th scope="row">{o.symbol}</th>
            <td class={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td>
            <td class="wide-only">
              {o.type?.replace('_', ' ')} <span class="muted">{o.timeInForce}</span>
            </td>
            <td class="num">{fmtQty(o.qty)}</td>
            <td class="num wide-only">{fmtQty(o.filledQty)}</td>
            <td class="num">
              {o.limitPrice !== null
                ? fmtPrice(o.limitPrice)
                : o.stopPrice !== null
                  ? `stop ${fmtPrice(o.stopPrice)}`
                  : 'MKT'}
            </td>
            <td class="num wide-only">{fmtPrice(o.avgFillPrice)}</td>
            <td>
              <span class={`status ${STATUS_TONE[o.status] ?? ''}`} title={o.reasonCode ?? undefined}>
                {o.status.replace('_', ' ')}
              </span>
              {(o.reason || o.reasonCode) && (
                <span class="reason">{describeRejection(o.reasonCode, o.reason)}</span>
              )}
            </td>
            {cancellable && (
              <td>
                <button
                  class="btn small danger"
                  type="button"
                  onClick={() => void trading.cancel(o.orderId)}
                  aria-label={`Cancel ${o.side} ${o.qty} ${o.symbol}`}
                >
                  Cancel
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
