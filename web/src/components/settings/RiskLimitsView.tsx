import type { EffectiveRiskLimits } from '@tickstream/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { fmtQty, fmtUsd } from '../../format';
import { useServices } from '../context';

/** "maxOrderNotional" -> "Max order notional". */
function words(key: string): string {
  const s = key
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function show(key: string, v: unknown): string {
  if (typeof v === 'number')
    return /notional|loss|exposure|pnl/i.test(key)
      ? fmtUsd(v)
      : /pct|percent/i.test(key)
        ? `${v}%`
        : fmtQty(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  // An empty allow-list allows every symbol; an empty deny-list denies none.
  if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : /denied/i.test(key) ? 'none' : 'any';
  return v === null || v === undefined ? '—' : JSON.stringify(v);
}

export function RiskLimitsView() {
  const { api } = useServices();
  const [limits, setLimits] = useState<EffectiveRiskLimits | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.riskLimits().then(setLimits, (err: unknown) => setError(describeError(err)));
  }, [api]);
  const entries = Object.entries(limits?.limits ?? {});
  return (
    <section class="card">
      <h3>Risk limits</h3>
      {error && <p class="inline-error">{error}</p>}
      {limits && entries.length === 0 && (
        <p class="muted">The order service sets the limits; none are published to this account yet.</p>
      )}
      {entries.length > 0 && (
        <table class="grid-table limits">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{words(k)}</th>
                <td class="num">
                  {show(k, v)}
                  {limits && k in limits.overrides && <span class="chip">set for you</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
