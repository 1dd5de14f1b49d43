import { fmtUsd, tone } from '../format';
import { useObservable } from '../state/use-observable';
import { ConnectionBadge } from './ConnectionBadge';
import { useServices } from './context';
import { Logo } from './Logo';

export function Header({ onSettings }: { onSettings: () => void }) {
  const { auth, trading } = useServices();
  const { account } = useObservable(trading);
  const user = auth.user;
  // As the daily loss limit counts it: realized today plus open positions' unrealized.
  const dayPnl = account ? account.realizedToday + account.unrealized : null;
  return (
    <header class="topbar">
      <Logo />
      <ConnectionBadge />
      <dl class="kpis" aria-label="Account">
        <div>
          <dt>Day P&amp;L</dt>
          <dd class={tone(dayPnl)} data-testid="day-pnl">
            {fmtUsd(dayPnl)}
          </dd>
        </div>
        <div>
          <dt>Unrealized</dt>
          <dd class={tone(account?.unrealized)}>{fmtUsd(account?.unrealized)}</dd>
        </div>
        <div>
          <dt>Exposure</dt>
          <dd>{fmtUsd(account?.grossExposure)}</dd>
        </div>
      </dl>
      <span class={`broker-tag ${user?.broker === 'ALPACA' ? 'live' : ''}`} title="Where your orders execute">
        {user?.broker === 'ALPACA' ? 'Alpaca paper' : 'Simulator'}
      </span>
      <span class="user" title={user?.email}>
        {user?.displayName ?? user?.email}
      </span>
      <button class="btn ghost" type="button" onClick={onSettings}>
        Settings
      </button>
      <button class="btn ghost" type="button" onClick={() => void auth.logOut()}>
        Log out
      </button>
    </header>
  );
}
