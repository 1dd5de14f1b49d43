import type { Numeric } from '../format';
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
        <Kpi label="Day P&L" testId="day-pnl" usd={dayPnl} toned />
        <Kpi label="Unrealized" testId="header-unrealized" usd={unrealized} toned />
        <Kpi label="Exposure" testId="header-exposure" usd={grossExposure} />
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

/** A figure of the account in dollars; `toned` colours it by its sign (gains green, losses red). */
function Kpi(props: { label: string; testId: string; usd: Numeric; toned?: boolean }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd class={props.toned ? toneUsd(props.usd) : undefined} data-testid={props.testId}>
        {fmtUsd(props.usd)}
      </dd>
    </div>
  );
}
