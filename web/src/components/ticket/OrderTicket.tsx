import type { OrderEvent, OrderType, Side, TimeInForce } from '@tickstream/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OrderRequest } from '../../api/types';
import { fmtPrice, fmtQty, fmtUsd } from '../../format';
import { describeOrderEvent, isOpen } from '../../state/trading-store';
import { useObservable } from '../../state/use-observable';
import type { Book } from '../../trading/pretrade';
import { checkTicket } from '../../trading/pretrade';
import { uuid } from '../../uuid';
import { useServices } from '../context';
import { describeOrderError, outcomeUnknown } from './order-errors';

const TYPES: { value: OrderType; label: string }[] = [
  { value: 'MARKET', label: 'Market' },
  { value: 'LIMIT', label: 'Limit' },
  { value: 'STOP', label: 'Stop' },
  { value: 'STOP_LIMIT', label: 'Stop limit' },
];
const TIFS: TimeInForce[] = ['DAY', 'GTC', 'IOC', 'FOK'];

type Result = { tone: 'ok' | 'error' | 'info' | 'warn'; text: string } | null;

export function OrderTicket() {
  const { api, auth, market, watchlists, trading, stream, prefs } = useServices();
  const { symbol } = useObservable(watchlists);
  const book = useObservable(trading);
  useObservable(market);
  const [side, setSide] = useState<Side>('BUY');
  const [type, setType] = useState<OrderType>('MARKET');
  const [tif, setTif] = useState<TimeInForce>('DAY');
  // Empty until the trader types one; each symbol then starts from its last quantity sent.
  const [qty, setQty] = useState(() => prefs.qtyFor(symbol));
  const [confirming, setConfirming] = useState(false);
  const [limit, setLimit] = useState('');
  const [stop, setStop] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  // One id per intended order: a double click or a retry after a timeout re-sends the same terms
  // under the same id, and the server makes at most one order of it. Other terms are another
  // order (the server refuses a reused id with other terms), and so is anything sent after an
  // answer that says whether the order exists.
  const unanswered = useRef<{ id: string; terms: string } | null>(null);
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

  useEffect(() => {
    setQty(prefs.qtyFor(symbol));
    setConfirming(false);
  }, [symbol]);

  const s = symbol ? market.get(symbol) : null;
  const needsLimit = type === 'LIMIT' || type === 'STOP_LIMIT';
  const needsStop = type === 'STOP' || type === 'STOP_LIMIT';
  const ticketBook: Book = {
    limits: book.limits,
    broker: auth.user?.broker ?? 'SIM',
    bid: s?.bid ?? null,
    ask: s?.ask ?? null,
    positions: book.positions,
    openOrders: book.orders.filter(isOpen),
    account: book.account,
    midOf: (sym) => {
      const q = market.get(sym);
      return q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null;
    },
  };
  const check = checkTicket({ symbol, side, type, tif, qty, limit, stop }, ticketBook);
  const q = check.qty ?? 0;
  // Typing anything new asks again.
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setConfirming(false);
      set(v);
    };

  // The limit and the stop price, hinted with the last trade.
  const priceField = (label: string, name: 'limit' | 'stop', value: string, set: (v: string) => void) => (
    <label>
      {label}
      <input
        name={name}
        type="number"
        inputMode="decimal"
        min="0"
        step="0.01"
        value={value}
        placeholder={fmtPrice(s?.last)}
        aria-invalid={check.blocker?.field === name}
        onInput={(e) => edit(set)(e.currentTarget.value)}
      />
    </label>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || check.blocker || !symbol) return;
    if (check.confirm && !confirming) return setConfirming(true);
    setConfirming(false);
    const terms: Omit<OrderRequest, 'client_order_id'> = { symbol, side, qty: q, type, time_in_force: tif };
    if (needsLimit) terms.limit_price = Number(limit);
    if (needsStop) terms.stop_price = Number(stop);
    const key = JSON.stringify(terms);
    const id = unanswered.current?.terms === key ? unanswered.current.id : uuid();
    unanswered.current = { id, terms: key };
    const order: OrderRequest = { client_order_id: id, ...terms };
    setBusy(true);
    sentId.current = order.client_order_id;
    setResult({ tone: 'info', text: `Sending ${side} ${q} ${symbol}…` });
    try {
      const ack = await api.placeOrder(order);
      unanswered.current = null;
      prefs.rememberQty(symbol, qty.trim());
      setResult((r) =>
        r?.text.startsWith('Sending')
          ? { tone: 'info', text: `Order sent: ${side} ${q} ${symbol} (${ack.order_id.slice(0, 8)})` }
          : r,
      );
      trading.refreshSoon();
    } catch (err) {
      if (!outcomeUnknown(err)) unanswered.current = null;
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
              onClick={() => edit(setSide)(v)}
            >
              {v === 'BUY' ? `Buy ${fmtPrice(s?.ask)}` : `Sell ${fmtPrice(s?.bid)}`}
            </button>
          ))}
        </div>
        <div class="fields">
          <label>
            Type
            <select value={type} onChange={(e) => edit(setType)(e.currentTarget.value as OrderType)}>
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
              placeholder="Shares"
              value={qty}
              aria-invalid={check.blocker?.field === 'qty'}
              onInput={(e) => edit(setQty)(e.currentTarget.value)}
            />
          </label>
          {needsLimit && priceField('Limit price', 'limit', limit, setLimit)}
          {needsStop && priceField('Stop price', 'stop', stop, setStop)}
          <label>
            Time in force
            <select value={tif} onChange={(e) => edit(setTif)(e.currentTarget.value as TimeInForce)}>
              {TIFS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        </div>
        <dl class="estimate">
          <div>
            <dt>Est. {side === 'BUY' ? 'cost' : 'proceeds'}</dt>
            <dd data-testid="estimate">{fmtUsd(check.estimate)}</dd>
          </div>
          <div title="Room left under your gross exposure limit, counting open orders">
            <dt>Buying power</dt>
            <dd data-testid="buying-power">{fmtUsd(check.buyingPower)}</dd>
          </div>
        </dl>
        {confirming && check.confirm ? (
          <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">{check.confirm}</p>
            <div class="confirm-actions">
              <button class="btn ghost" type="button" onClick={() => setConfirming(false)}>
                Back
              </button>
              <button class={`btn submit confirm-go ${side.toLowerCase()}`} type="submit" disabled={busy}>
                {`Confirm sell ${fmtQty(q)} ${symbol ?? ''}`}
              </button>
            </div>
          </div>
        ) : (
          <button
            class={`btn wide submit ${side.toLowerCase()}`}
            type="submit"
            disabled={busy || check.blocker !== null}
            aria-describedby="ticket-reason"
          >
            {busy
              ? 'Sending…'
              : `${side === 'BUY' ? 'Buy' : 'Sell'} ${q > 0 ? fmtQty(q) : ''} ${symbol ?? ''}`}
          </button>
        )}
        <p
          id="ticket-reason"
          class={`ticket-reason ${check.blocker && qty.trim() !== '' && symbol ? 'warn' : ''}`}
          data-testid="ticket-reason"
        >
          {check.blocker?.text ??
            (check.confirm && !confirming ? 'You will be asked to confirm this sell.' : '')}
        </p>
        <p class={`result ${result?.tone ?? ''}`} role="status" aria-live="polite" data-testid="order-result">
          {result?.text}
        </p>
      </form>
    </section>
  );
}
