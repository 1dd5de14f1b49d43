import { usePortfolio } from '../../state/portfolio';
import type { BlotterTab } from '../../state/prefs';
import { useObservable } from '../../state/use-observable';
import { isOpen } from '../../state/trading-store';
import { useServices } from '../context';
import { AccountView } from './AccountView';
import { OrdersTable } from './OrdersTable';
import { PositionsTable } from './PositionsTable';

type Tab = BlotterTab;

export function Blotter() {
  const { trading, market, prefs } = useServices();
  const state = useObservable(trading);
  const portfolio = usePortfolio(trading, market);
  // The selected tab survives a reload.
  const tab = useObservable(prefs).blotterTab;
  const setTab = (t: Tab) => prefs.setBlotterTab(t);
  const open = state.orders.filter(isOpen);
  const tabs: { id: Tab; label: string }[] = [
    { id: 'positions', label: `Positions (${portfolio.lines.length})` },
    { id: 'open', label: `Open orders (${open.length})` },
    { id: 'orders', label: 'Orders & fills' },
    { id: 'account', label: 'Account' },
  ];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const i = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const error =
    tab === 'positions'
      ? state.errors.positions
      : tab === 'account'
        ? state.errors.account
        : state.errors.orders;
  return (
    <section class="panel blotter" aria-label="Blotter">
      <div class="tabs" role="tablist" aria-label="Blotter" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            aria-controls="blotter-body"
            tabIndex={tab === t.id ? 0 : -1}
            class={tab === t.id ? 'active' : ''}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
        <button
          class="btn ghost small refresh"
          type="button"
          onClick={() => void trading.refresh()}
          aria-label="Refresh blotter"
        >
          ↻
        </button>
      </div>
      <div
        id="blotter-body"
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        class="blotter-body"
        data-tab={tab}
      >
        {error && <p class="inline-error">{error}</p>}
        {tab === 'positions' && <PositionsTable lines={portfolio.lines} />}
        {tab === 'open' && <OrdersTable orders={open} cancellable empty="No open orders." />}
        {tab === 'orders' && <OrdersTable orders={state.orders} empty="No orders yet today." />}
        {tab === 'account' && <AccountView account={state.account} portfolio={portfolio} />}
      </div>
    </section>
  );
}
