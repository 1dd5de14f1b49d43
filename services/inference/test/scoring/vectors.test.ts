import type { FeatureVector } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { invalidVector, toPrediction, toRows } from '../../src/scoring';
import { flatVector } from '../support/fake-model';

/** An AAPL vector whose features are offset, offset + 1, ... in FEATURE_NAMES order. */
function vector(offset: number): FeatureVector {
  const v = flatVector('AAPL');
  FEATURE_NAMES.forEach((name, i) => (v[name] = offset + i));
  return v;
}

describe('scoring helpers', () => {
  it('packs every feature in FEATURE_NAMES order, row after row', () => {
    const width = FEATURE_NAMES.length;
    expect(Array.from(toRows([vector(0), vector(100)]))).toEqual([
      ...Array.from({ length: width }, (_, i) => i),
      ...Array.from({ length: width }, (_, i) => 100 + i),
    ]);
  });

  it('names what makes a vector unscorable', () => {
    expect(invalidVector(vector(0))).toBeUndefined();
    expect(invalidVector({ ...vector(0), stoch_d: Infinity, rsi14: NaN })).toBe(
      'non-finite features: rsi14, stoch_d',
    );
    expect(invalidVector({ ...vector(0), feature_set_version: 'fs9' })).toMatch(/feature set fs9/);
  });

  it('stamps the prediction with model version, horizon and feature-to-prediction latency', () => {
    expect(toPrediction(vector(0), 0.5, { version: 'm1', horizon: 5 }, 1010)).toMatchObject({
      label: 'UP',
      model_version: 'm1',
      horizon_bars: 5,
      features_time: 1002,
      predicted_time: 1010,
      latency_ms: 8,
    });
  });
});
