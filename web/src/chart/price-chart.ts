import type { Bar } from '@tickstream/contracts';
import type { IChartApi, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
} from 'lightweight-charts';
import type { BarChange } from '../state/bars';
import type { Overlays, Point } from './indicators';
import { chartTime, computeOverlays } from './indicators';

export interface OverlayToggles {
  sma: boolean;
  ema: boolean;
  bollinger: boolean;
}

const UP = '#22c55e';
const DOWN = '#ef4444';
const GRID = 'rgba(148, 163, 184, 0.08)';

type Line = ISeriesApi<'Line'>;
type Hist = ISeriesApi<'Histogram'>;

const ts = (p: Point) => ({ time: p.time as UTCTimestamp, value: p.value });

/**
 * The chart: candles and volume in the first pane, RSI(14) and MACD(12,26,9) in their own
 * panes below. Live bars update the last point; anything else redraws from the history.
 */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: Hist;
  private readonly lines: Record<
    'sma20' | 'ema12' | 'ema26' | 'bbUpper' | 'bbMiddle' | 'bbLower' | 'rsi14' | 'macd' | 'macdSignal',
    Line
  >;
  private readonly macdHist: Hist;
  private count = 0;

  constructor(container: HTMLElement) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        textColor: '#94a3b8',
        fontSize: 11,
        fontFamily: 'Inter, system-ui, sans-serif',
        attributionLogo: false,
        panes: { separatorColor: '#1f2937', separatorHoverColor: '#334155', enableResize: true },
      },
      grid: { vertLines: { color: GRID }, horzLines: { color: GRID } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: '#1f2937' },
      timeScale: { borderColor: '#1f2937', timeVisible: true, secondsVisible: true, rightOffset: 4 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.2 } });

    const line = (color: string, pane = 0, style: LineStyle = LineStyle.Solid, width: 1 | 2 = 1): Line =>
      this.chart.addSeries(
        LineSeries,
        {
          color,
          lineWidth: width,
          lineStyle: style,
          lastValueVisible: false,
          priceLineVisible: false,
          crosshairMarkerVisible: false,
        },
        pane,
      );
    this.lines = {
      sma20: line('#f59e0b'),
      ema12: line('#38bdf8'),
      ema26: line('#a78bfa'),
      bbUpper: line('rgba(148,163,184,0.7)', 0, LineStyle.Dashed),
      bbMiddle: line('rgba(148,163,184,0.45)', 0, LineStyle.Dotted),
      bbLower: line('rgba(148,163,184,0.7)', 0, LineStyle.Dashed),
      rsi14: line('#e879f9', 1, LineStyle.Solid, 2),
      macd: line('#38bdf8', 2),
      macdSignal: line('#f59e0b', 2),
    };
    // RSI lives on 0-100: a fixed range keeps the 30/70 guides in place, and margins keep the
    // axis labels away from the pane edges, where they collided with the price pane's.
    this.lines.rsi14.applyOptions({
      lastValueVisible: true,
      autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } }),
    });
    this.lines.rsi14.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.1 } });
    this.lines.macd.priceScale().applyOptions({ scaleMargins: { top: 0.15, bottom: 0.1 } });
    for (const level of [30, 70])
      this.lines.rsi14.createPriceLine({
        price: level,
        color: '#475569',
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        axisLabelVisible: false,
        title: '',
      });
    this.macdHist = this.chart.addSeries(
      HistogramSeries,
      { lastValueVisible: false, priceLineVisible: false },
      2,
    );
    const panes = this.chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    panes[2]?.setStretchFactor(1);
  }

  /** How many bars are drawn; the e2e test reads it through the container's data attribute. */
  get barCount(): number {
    return this.count;
  }

  setOverlays(t: OverlayToggles): void {
    this.lines.sma20.applyOptions({ visible: t.sma });
    this.lines.ema12.applyOptions({ visible: t.ema });
    this.lines.ema26.applyOptions({ visible: t.ema });
    for (const k of ['bbUpper', 'bbMiddle', 'bbLower'] as const)
      this.lines[k].applyOptions({ visible: t.bollinger });
  }

  draw(bars: readonly Bar[], change: BarChange): void {
    const overlays = computeOverlays(bars);
    const last = bars[bars.length - 1];
    if (change === 'reset' || !last) {
      this.candles.setData(
        bars.map((b) => ({
          time: chartTime(b) as UTCTimestamp,
          open: b.open,
          high: b.high,
          low: b.low,
          close: b.close,
        })),
      );
      this.volume.setData(bars.map((b) => this.volumePoint(b)));
      for (const [key, series] of Object.entries(this.lines) as [keyof Overlays, Line][])
        series.setData(overlays[key].map(ts));
      this.macdHist.setData(overlays.macdHist.map((p) => this.histPoint(p)));
      if (change === 'reset') this.chart.timeScale().scrollToRealTime();
    } else {
      this.candles.update({
        time: chartTime(last) as UTCTimestamp,
        open: last.open,
        high: last.high,
        low: last.low,
        close: last.close,
      });
      this.volume.update(this.volumePoint(last));
      for (const [key, series] of Object.entries(this.lines) as [keyof Overlays, Line][])
        updateLast(series, overlays[key]);
      const h = overlays.macdHist[overlays.macdHist.length - 1];
      if (h && h.time === chartTime(last)) this.macdHist.update(this.histPoint(h));
    }
    this.count = bars.length;
  }

  destroy(): void {
    this.chart.remove();
  }

  private volumePoint(b: Bar) {
    return {
      time: chartTime(b) as UTCTimestamp,
      value: b.volume,
      color: b.close >= b.open ? 'rgba(34,197,94,0.35)' : 'rgba(239,68,68,0.35)',
    };
  }

  private histPoint(p: Point) {
    return { ...ts(p), color: p.value >= 0 ? 'rgba(34,197,94,0.6)' : 'rgba(239,68,68,0.6)' };
  }
}

function updateLast(series: Line, points: Point[]): void {
  const p = points[points.length - 1];
  if (p) series.update(ts(p));
}
