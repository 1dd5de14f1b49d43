import type { FeatureVector } from '@tickstream/contracts';
import { featureVectors } from '../../services/inference/test/support/vectors';

/** Feature vectors of simulated 5 s bars (seed 11), as the features service would publish them, symbol after symbol. */
export function benchVectors(symbols: readonly string[], bars: number): FeatureVector[] {
  return [...featureVectors(symbols, bars, 11).values()].flat();
}
