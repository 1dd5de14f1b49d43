import type { OrderEvent, OrderType, Side, TimeInForce } from '@tickstream/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OrderRequest } from '../../api/types';
import { fmtPrice, fmtUsd } from '../../format';
import { describeOrderEvent } from '../../state/trading-store';
import { useObservable } from '../../state/use-observable';
import { uuid } from '../../uuid';
import { useServices } from '../context';
import { describeOrderError } from './order-errors';

const TYPES: { value: OrderType; label: string }[] = [
  { value: 'MARKET', label: 'Market' },
  { value: 'LIMIT', label: 'Limit' },
  { value: 'STOP', label: 'Stop' },
  { value: 'STOP_LIMIT', label: 'Stop limit' },
];
const TIFS: TimeInForce[] = ['DAY', 'GTC', 'IOC', 'FOK'];

type Result = { tone: 'ok' | 'error' | 'info' | 'warn'; text: string } | null;

export function OrderTicket() {
  const { api, market, watchlists, trading, stream } = useServices();
  const { symbol } = useObservable(watchlists);
  useObservable(market);
  const [side, setSide] = useState<Side>('BUY');
  const [type, setType] = useState<OrderType>('MARKET');
  const [tif, setTif] = useState<TimeInForce>('DAY');
  const [qty, setQty] = useState('10');
  const [limit, setLimit] = useState('');
  const [stop, setStop] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  // One id per intended order: a double click or a retry after a timeout re-sends the same id,
  // and the server makes at most one order of it. A new id only once this one was answered.
  const clientOrderId = useRef(uuid());
  const sentId = useRef<string | null>(null);

  useEffect(() => {
    const onEvent = (e: OrderEvent) => {
      if (e.client_order_id !== sentId.current) return;
      const said = describeOrderEvent(e);
      if (said) setResult(said);
      else if (e.type === 'ACCEPTED' || e.type === 'NEW')
        setResult({ tone: 'info', text: `Working: ${e.side} ${e.qty} ${e.symbol}` });
    };
    stream.socket.on('order_event', onEvent);
    return () => void stream.socket.off('order_event', onEvent);
  }, [stream]);

  const s = symbol ? market.get(symbol) : null;
  const needsLimit = type === 'LIMIT' || type === 'STOP_LIMIT';
  const needsStop = type === 'STOP' || type === 'STOP_LIMIT';
  const q = Number(qty);
  const refPrice = needsLimit ? Number(limit) : side === 'BUY' ? s?.ask : s?.bid;
  const estimate = q > 0 && refPrice ? q * refPrice : null;

  const problem = (): string | null => {
    if (!symbol) return 'Select a symbol first.';
    if (!Number.isFinite(q) || q <= 0) return 'Quantity must be a number above 0.';
    if (needsLimit && !(Number(limit) > 0)) return 'Enter a limit price above 0.';
    if (needsStop && !(Number(stop) > 0)) return 'Enter a stop price above 0.';
    return null;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const p = problem();
    if (p || !symbol) return setResult({ tone: 'error', text: p ?? 'Select a symbol first.' });
    const order: OrderRequest = {
      client_order_id: clientOrderId.current,
      symbol,
      side,
      qty: q,
      type,
      time_in_force: tif,
    };
    if (needsLimit) order.limit_price = Number(limit);
    if (needsStop) order.stop_price = Number(stop);
    setBusy(true);
    sentId.current = order.client_order_id;
    setResult({ tone: 'info', text: `Sending ${side} ${q} ${symbol}…` });
    try {
      const ack = await api.placeOrder(order);
      clientOrderId.current = uuid();
      setResult((r) =>
        r?.text.startsWith('Sending')
          ? { tone: 'info', text: `Order sent: ${side} ${q} ${symbol} (${ack.order_id.slice(0, 8)})` }
          : r,
      );
      trading.refreshSoon();
    } catch (err) {
      const text = describeOrderError(err);
      setResult({ tone: 'error', text });
      trading.announce('error', text);
    } finally {
      setBusy(false);
    }
    return undefined;
  };

  return (
    <section class="panel ticket" id="ticket" aria-labelledby="ticket-title">
      <h2 id="ticket-title">
        Order ticket <span class="muted">{symbol}</span>
      </h2>
      <form onSubmit={submit} noValidate>
        <div class="segmented side" role="radiogroup" aria-label="Side">
          {(['BUY', 'SELL'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={side === v}
              class={`${side === v ? 'active' : ''} ${v.toLowerCase()}`}
              onClick={() => setSide(v)}
            >
              {v === 'BUY' ? `Buy ${fmtPrice(s?.ask)}` : `Sell ${fmtPrice(s?.bid)}`}
            </button>
          ))}
        </div>
        <div class="fields">
          <label>
            Type
            <select value={type} onChange={(e) => setType(e.currentTarget.value as OrderType)}>
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Quantity
            <input
              name="qty"
              type="number"
              inputMode="decimal"
              min="0"
              step="1"
              value={qty}
              onInput={(e) => setQty(e.currentTarget.value)}
            />
          </label>
          {needsLimit && (
            <label>
              Limit price
              <input
                name="limit"
                type="number"
                inputMode="decimal"
                min="0"
                step="0.01"
                value={limit}
                placeholder={fmtPrice(s?.last)}
                onInput={(e) => setLimit(e.currentTarget.value)}
              />
            </label>
          )}
          {needsStop && (
            <label>
              Stop price
              <input
                name="stop"
                type="number"
                inputMode="decimal"
                min="0"
                step="0.01"
                value={stop}
                placeholder={fmtPrice(s?.last)}
                onInput={(e) => setStop(e.currentTarget.value)}
              />
            </label>
          )}
          <label>
            Time in force
            <select value={tif} onChange={(e) => setTif(e.currentTarget.value as TimeInForce)}>
              {TIFS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p class="estimate">
          Est. {side === 'BUY' ? 'cost' : 'proceeds'} <strong>{fmtUsd(estimate)}</strong>
        </p>
        <button class={`btn wide submit ${side.toLowerCase()}`} type="submit" disabled={busy || !symbol}>
          {busy
            ? 'Sending…'
            : `${side === 'BUY' ? 'Buy' : 'Sell'} ${Number.isFinite(q) && q > 0 ? q : ''} ${symbol ?? ''}`}
        </button>
        <p class={`result ${result?.tone ?? ''}`} role="status" aria-live="polite" data-testid="order-result">
          {result?.text}
        </p>
      </form>
    </section>
  );
}
