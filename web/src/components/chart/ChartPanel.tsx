import { useEffect, useRef, useState } from 'preact/hooks';
import type { OverlayToggles } from '../../chart/price-chart';
import { PriceChart } from '../../chart/price-chart';
import { fmtCompact, fmtPct, fmtPrice, tone } from '../../format';
import { useObservable } from '../../state/use-observable';
import { useServices } from '../context';

const TOGGLES: { key: keyof OverlayToggles; label: string; swatch: string }[] = [
  { key: 'sma', label: 'SMA 20', swatch: '#f59e0b' },
  { key: 'ema', label: 'EMA 12/26', swatch: '#38bdf8' },
  { key: 'bollinger', label: 'Bollinger 20,2', swatch: '#94a3b8' },
];

export function ChartPanel() {
  const { market, watchlists, prefs } = useServices();
  const { symbol } = useObservable(watchlists);
  useObservable(market);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<PriceChart | null>(null);
  // Kept across reloads.
  const toggles: OverlayToggles = useObservable(prefs).overlays;
  const setToggles = (next: OverlayToggles) => prefs.setOverlays(next);
  const [bars, setBars] = useState(0);

  useEffect(() => {
    if (!box.current || !symbol) return undefined;
    const c = new PriceChart(box.current);
    chart.current = c;
    c.setOverlays(toggles);
    const draw = (all: Parameters<PriceChart['draw']>[0], change: Parameters<PriceChart['draw']>[1]) => {
      c.draw(all, change);
      setBars(c.barCount);
    };
    draw(market.barsOf(symbol), 'reset');
    const off = market.onBars(symbol, draw);
    return () => {
      off();
      c.destroy();
      chart.current = null;
    };
  }, [symbol]);

  useEffect(() => chart.current?.setOverlays(toggles), [toggles]);

  const s = symbol ? market.get(symbol) : null;
  const change = s?.last != null && s.reference ? s.last / s.reference - 1 : null;
  const last = symbol ? market.barsOf(symbol).at(-1) : undefined;
  return (
    <section class="panel chart-panel" aria-labelledby="chart-title">
      <header class="chart-head">
        <h2 id="chart-title">{symbol ?? 'Chart'}</h2>
        {s && (
          <>
            <span class={`big-price ${s.direction ? `flash-${s.direction}` : ''}`} key={s.tick}>
              {fmtPrice(s.last)}
            </span>
            <span class={`chip ${tone(change)}`}>{fmtPct(change)}</span>
            <span class="muted small">
              Bid {fmtPrice(s.bid)} · Ask {fmtPrice(s.ask)}
              {last && ` · Vol ${fmtCompact(last.volume)} · ${Math.round(last.interval_ms / 1000)} s bars`}
            </span>
          </>
        )}
        <div class="toggles" role="group" aria-label="Overlays">
          {TOGGLES.map((t) => (
            <label key={t.key} class="toggle">
              <input
                type="checkbox"
                checked={toggles[t.key]}
                onChange={(e) => setToggles({ ...toggles, [t.key]: e.currentTarget.checked })}
              />
              <span class="swatch" style={{ background: t.swatch }} aria-hidden="true" />
              {t.label}
            </label>
          ))}
        </div>
      </header>
      {symbol ? (
        <div class="chart-wrap">
          <div
            ref={box}
            class="chart"
            data-bars={bars}
            role="img"
            aria-label={`${symbol} candlestick chart with volume, RSI 14 and MACD 12 26 9; ${bars} bars`}
          />
          <span class="pane-label rsi">RSI 14</span>
          <span class="pane-label macd">MACD 12,26,9</span>
          {bars === 0 && <p class="chart-empty">Waiting for bars…</p>}
        </div>
      ) : (
        <p class="empty">Select a symbol to chart it.</p>
      )}
    </section>
  );
}
