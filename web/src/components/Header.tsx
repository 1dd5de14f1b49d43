import { fmtUsd, toneUsd } from '../format';
import { usePortfolio } from '../state/portfolio';
import { ConnectionBadge } from './ConnectionBadge';
import { useServices } from './context';
import { Logo } from './Logo';

export function Header({ onSettings }: { onSettings: () => void }) {
  const { auth, trading, market } = useServices();
  // Day P&L as the daily loss limit counts it: realized today plus the open positions' unrealized.
  const { dayPnl, unrealized, grossExposure } = usePortfolio(trading, market);
  const user = auth.user;
  return (
    <header class="topbar">
      <Logo />
      <ConnectionBadge />
      <dl class="kpis" aria-label="Account">
        <div>
          <dt>Day P&amp;L</dt>
          <dd class={toneUsd(dayPnl)} data-testid="day-pnl">
            {fmtUsd(dayPnl)}
          </dd>
        </div>
        <div>
          <dt>Unrealized</dt>
          <dd class={toneUsd(unrealized)} data-testid="header-unrealized">
            {fmtUsd(unrealized)}
          </dd>
        </div>
        <div>
          <dt>Exposure</dt>
          <dd data-testid="header-exposure">{fmtUsd(grossExposure)}</dd>
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
