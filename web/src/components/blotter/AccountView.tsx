import type { AccountSummary } from '@tickstream/contracts';
import { fmtUsd, toneUsd } from '../../format';
import type { Portfolio } from '../../state/portfolio';

export function AccountView({
  account,
  portfolio,
}: {
  account: AccountSummary | null;
  portfolio: Portfolio;
}) {
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
        <dd class={toneUsd(portfolio.realizedToday)}>{fmtUsd(portfolio.realizedToday)}</dd>
      </div>
      <div>
        <dt>Unrealized P&amp;L</dt>
        <dd class={toneUsd(portfolio.unrealized)} data-testid="account-unrealized">
          {fmtUsd(portfolio.unrealized)}
        </dd>
      </div>
      <div>
        <dt>Gross exposure</dt>
        <dd data-testid="account-exposure">{fmtUsd(portfolio.grossExposure)}</dd>
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
