import { useEffect, useState } from 'preact/hooks';
import { fmtAge } from '../format';
import { bestBaseline, signalOf } from '../state/model-info';
import { useObservable } from '../state/use-observable';
import { useServices } from './context';

/**
 * Opens a model's HTML report in a new tab. The API takes the token in a header, never a cookie,
 * so a plain link would arrive unauthenticated: the page is fetched with the token and opened
 * from a blob: URL instead.
 */
function ReportLink({ version }: { version: string }) {
  const { api } = useServices();
  const [error, setError] = useState('');
  const open = async () => {
    setError('');
    try {
      const html = await api.modelReport(version);
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
      // The new tab has read the page by then; the URL need not outlive it.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'the report could not be opened');
    }
  };
  return (
    <p class="trust">
      <button type="button" class="btn ghost small" data-testid="model-report" onClick={() => void open()}>
        Model report (evaluation and backtest)
      </button>
      {error && (
        <span class="inline-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

export function PredictionPanel() {
  const { market, watchlists, models, auth } = useServices();
  const { symbol } = useObservable(watchlists);
  useObservable(market);
  useObservable(models);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const p = symbol ? market.get(symbol).prediction : null;
  const pct = p ? Math.round(p.prob_up * 1000) / 10 : null;
  const info = p ? models.get(p.model_version) : null;
  // The gateway's band once the model's record is in; the same default until then.
  const signal = p ? signalOf(p.prob_up, info?.signalBand) : null;
  const base = info ? bestBaseline(info) : null;
  const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    <section class="panel prediction" aria-labelledby="pred-title" data-has-prediction={p ? 'yes' : 'no'}>
      <h2 id="pred-title">
        Model signal <span class="muted">{symbol}</span>
      </h2>
      {p && pct !== null ? (
        <>
          <div class="pred-main">
            <span
              class={`pred-label ${signal === 'UP' ? 'pos' : signal === 'DOWN' ? 'neg' : 'neutral'}`}
              data-testid="signal"
            >
              {signal === 'UP' ? '▲ UP' : signal === 'DOWN' ? '▼ DOWN' : '● NEUTRAL'}
            </span>
            <span class="pred-prob">
              <strong>{pct.toFixed(1)}%</strong> probability up
            </span>
          </div>
          <div
            class="gauge"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-label="Probability up"
          >
            <div class="gauge-fill" style={{ width: `${pct}%` }} />
            <div class="gauge-mid" aria-hidden="true" />
          </div>
          <dl class="facts">
            <div>
              <dt>Horizon</dt>
              <dd>{p.horizon_bars} bars</dd>
            </div>
            <div>
              <dt>Model</dt>
              <dd class="mono" title={p.model_version}>
                {p.model_version}
              </dd>
            </div>
            <div>
              <dt>Age</dt>
              <dd data-testid="prediction-age">{fmtAge(now - p.predicted_time)}</dd>
            </div>
          </dl>
          {info && base && (
            <p class={`trust ${info.beatsBaselines ? '' : 'warn'}`} data-testid="model-trust">
              Held-out accuracy <strong>{pct1(info.heldOut.model.accuracy)}</strong> vs {pct1(base.accuracy)}{' '}
              for the {base.name} baseline ({info.heldOut.rows.toLocaleString('en-US')} predictions).{' '}
              {info.beatsBaselines
                ? `Neutral within ${pct1(0.5 - info.signalBand)}–${pct1(0.5 + info.signalBand)}.`
                : 'It does not beat the baselines: treat its signal as noise.'}
            </p>
          )}
          {auth.user?.role === 'admin' && <ReportLink version={p.model_version} />}
        </>
      ) : (
        <p class="empty">{symbol ? 'No model serving yet for this symbol.' : 'Select a symbol.'}</p>
      )}
    </section>
  );
}
