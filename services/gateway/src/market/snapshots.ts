import type { Bar, FeatureVector, Prediction, Quote, SymbolSnapshot, Trade } from '@tickstream/contracts';

interface SymbolState {
  bars: Bar[];
  quote: Quote | null;
  trade: Trade | null;
  features: FeatureVector | null;
  prediction: Prediction | null;
}

/**
 * The latest market state per symbol that a subscriber needs at once: a ring of recent bars for
 * the chart (corrections replace their bar), the latest quote, trade, features and prediction.
 */
export class SnapshotStore {
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly barsPerSymbol: number) {}

  private state(symbol: string): SymbolState {
    let s = this.symbols.get(symbol);
    if (!s) {
      s = { bars: [], quote: null, trade: null, features: null, prediction: null };
      this.symbols.set(symbol, s);
    }
    return s;
  }

  /** Returns false for a bar that is older than the ring or a duplicate of the newest. */
  bar(bar: Bar): boolean {
    const bars = this.state(bar.symbol).bars;
    const last = bars[bars.length - 1];
    if (!last || bar.start_time > last.start_time) {
      bars.push(bar);
      if (bars.length > this.barsPerSymbol) bars.splice(0, bars.length - this.barsPerSymbol);
      return true;
    }
    // Corrections (updatedBars) and replays: replace the bar with the same start in place.
    for (let i = bars.length - 1; i >= 0 && bars[i]!.start_time >= bar.start_time; i--) {
      if (bars[i]!.start_time === bar.start_time) {
        if (!bar.is_update) return false;
        bars[i] = bar;
        return true;
      }
    }
    return false;
  }

  quote(q: Quote): void {
    const s = this.state(q.symbol);
    if (!s.quote || q.event_time >= s.quote.event_time) s.quote = q;
  }

  trade(t: Trade): void {
    const s = this.state(t.symbol);
    if (!s.trade || t.event_time >= s.trade.event_time) s.trade = t;
  }

  features(f: FeatureVector): void {
    const s = this.state(f.symbol);
    if (!s.features || f.bar_time >= s.features.bar_time) s.features = f;
  }

  prediction(p: Prediction): void {
    const s = this.state(p.symbol);
    if (!s.prediction || p.bar_time >= s.prediction.bar_time) s.prediction = p;
  }

  snapshot(symbol: string): SymbolSnapshot {
    const s = this.symbols.get(symbol);
    return {
      symbol,
      bars: s ? [...s.bars] : [],
      quote: s?.quote ?? null,
      trade: s?.trade ?? null,
      features: s?.features ?? null,
      prediction: s?.prediction ?? null,
    };
  }

  known(): string[] {
    return [...this.symbols.keys()];
  }
}
