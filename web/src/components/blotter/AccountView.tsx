import type { AccountSummary } from '../../api/types';
import { fmtUsd, tone } from '../../format';

export function AccountView({ account }: { account: AccountSummary | null }) {
  if (!account) return <p class="empty">No account data yet.</p>;
  const state = account.killSwitch
    ? ['neg', 'Halted for everyone (kill switch)']
    : account.haltedForDay
      ? ['neg', 'Halted for today (daily loss limit)']
      : account.tradingEnabled
        ? ['pos', 'Enabled']
        : ['neg', 'Disabled for this account'];
  return (
    <dl class="account-grid">
      <div>
        <dt>Realized P&amp;L today</dt>
        <dd class={tone(account.realizedToday)}>{fmtUsd(account.realizedToday)}</dd>
      </div>
      <div>
        <dt>Unrealized P&amp;L</dt>
        <dd class={tone(account.unrealized)}>{fmtUsd(account.unrealized)}</dd>
      </div>
      <div>
        <dt>Gross exposure</dt>
        <dd>{fmtUsd(account.grossExposure)}</dd>
      </div>
      <div>
        <dt>Open orders</dt>
        <dd>{account.openOrders}</dd>
      </div>
      <div>
        <dt>Trading</dt>
        <dd class={state[0]}>{state[1]}</dd>
      </div>
    </dl>
  );
}
