import type { Bar } from '@tickstream/contracts';
import type { FeatureEngineSnapshot, FeatureResult } from './feature-engine';
import { FeatureEngine } from './feature-engine';
import type { FeatureBar } from './feature-values';

/**
 * One FeatureEngine per symbol, created on the symbol's first bar.
 *
 * @example
 * const calc = new FeatureCalculator();
 * for (const bar of bars) {
 *   const r = calc.onBar(bar);
 *   if (r.kind === 'features') publish(toFeatureVector(bar, r.values, Date.now()));
 * }
 */
export class FeatureCalculator {
  private readonly engines = new Map<string, FeatureEngine>();

  get size(): number {
    return this.engines.size;
  }

  onBar(bar: FeatureBar & Pick<Bar, 'symbol'>): FeatureResult {
    let engine = this.engines.get(bar.symbol);
    if (engine === undefined) {
      engine = new FeatureEngine();
      this.engines.set(bar.symbol, engine);
    }
    return engine.onBar(bar);
  }

  engine(symbol: string): FeatureEngine | undefined {
    return this.engines.get(symbol);
  }

  symbols(): IterableIterator<string> {
    return this.engines.keys();
  }

  snapshot(symbol: string): FeatureEngineSnapshot | undefined {
    return this.engines.get(symbol)?.snapshot();
  }

  /** Replaces the symbol's engine, e.g. with one restored from saved state. */
  adopt(symbol: string, engine: FeatureEngine): void {
    this.engines.set(symbol, engine);
  }

  /** Forgets a symbol, e.g. when its partition is revoked; true if it was known. */
  delete(symbol: string): boolean {
    return this.engines.delete(symbol);
  }
}
