import type { Bar, FeatureVector } from '@tickstream/contracts';
import type { EngineStateEncoding, FeatureEngine } from '@tickstream/indicators';
import {
  FeatureCalculator,
  decodeEngineState,
  encodeEngineState,
  toFeatureVector,
} from '@tickstream/indicators';

export interface BatchOutcome {
  vectors: FeatureVector[];
  /**
   * Engine state after the batch, encoded as the changelog stores it, per symbol the batch
   * touched. Taken on demand, after the vectors are sent, so they never wait for it. The engines
   * are held, not looked up, so a reset in between (a rebalance) does not change what is
   * encoded; nothing else touches them meanwhile, since a symbol's bars come in one partition,
   * one batch at a time.
   */
  states(): Map<string, Buffer>;
  counts: {
    features: number;
    warming: number;
    duplicate: number;
    late: number;
    invalid: number;
    corrected: number;
  };
}

/**
 * The features service's logic without I/O: bars in, feature vectors and new engine snapshots
 * out. An engine missing from memory is restored from `stateOf` (the changelog) first, so a
 * restarted or rebalanced instance continues exactly where the previous owner stopped; bars it
 * already counted come back as duplicates and change nothing.
 */
export class FeatureProcessor {
  private calc = new FeatureCalculator();

  /**
   * @param stateOf a symbol's saved state as the changelog holds it (either encoding)
   * @param onUnusableState a saved state the engine refused (another feature set's after an
   *   upgrade, or corrupt bytes): the symbol warms up afresh rather than failing its bar on every
   *   retry for good.
   * @param encoding how `states()` encodes (see EngineStateEncoding)
   */
  constructor(
    private readonly stateOf: (symbol: string) => Uint8Array | undefined,
    private readonly onUnusableState: (symbol: string, err: unknown) => void = () => undefined,
    private readonly encoding: EngineStateEncoding = 'binary',
  ) {}

  /** Drops every engine, e.g. after a rebalance; they are restored from the changelog on demand. */
  reset(): void {
    this.calc = new FeatureCalculator();
  }

  /** Drops these symbols' engines: the next bar restores them from `stateOf`. */
  forget(symbols: Iterable<string>): void {
    for (const symbol of symbols) this.calc.delete(symbol);
  }

  process(bars: readonly Bar[], now: number): BatchOutcome {
    const vectors: FeatureVector[] = [];
    const counts = { features: 0, warming: 0, duplicate: 0, late: 0, invalid: 0, corrected: 0 };
    const touched = new Map<string, FeatureEngine>();
    for (const bar of bars) {
      if (!this.calc.engine(bar.symbol)) {
        const saved = this.stateOf(bar.symbol);
        if (saved) {
          try {
            this.calc.adopt(bar.symbol, decodeEngineState(saved));
          } catch (err) {
            this.onUnusableState(bar.symbol, err);
          }
        }
      }
      const r = this.calc.onBar(bar);
      counts[r.kind]++;
      if (r.kind === 'features' || r.kind === 'warming') {
        touched.set(bar.symbol, this.calc.engine(bar.symbol)!);
        if (r.corrected) counts.corrected++;
      }
      if (r.kind === 'features') vectors.push(toFeatureVector(bar, r.values, now));
    }
    return {
      vectors,
      counts,
      states: () =>
        new Map(
          [...touched].map(([symbol, engine]) => {
            const bytes = encodeEngineState(engine, this.encoding);
            // A view, not a copy: KafkaJS takes a Buffer.
            return [symbol, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
          }),
        ),
    };
  }
}
