import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import type { FeatureValues } from '@tickstream/indicators';
import { toFeatureArray, toFeatureVector } from '@tickstream/indicators';

const values = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i / 10])) as FeatureValues;

describe('toFeatureArray', () => {
  it('orders values as FEATURE_NAMES', () => {
    expect(toFeatureArray(values)).toEqual(FEATURE_NAMES.map((_, i) => i / 10));
  });
});

describe('toFeatureVector', () => {
  it('builds the features.v1 record with the current feature-set version', () => {
    const bar = { symbol: 'AAPL', start_time: 1000, interval_ms: 60_000, close: 187.5, ingest_time: 1100 };
    expect(toFeatureVector(bar, values, 1200)).toEqual({
      symbol: 'AAPL',
      bar_time: 1000,
      interval_ms: 60_000,
      feature_set_version: FEATURE_SET_VERSION,
      close: 187.5,
      ...values,
      bar_ingest_time: 1100,
      computed_time: 1200,
    });
  });
});
