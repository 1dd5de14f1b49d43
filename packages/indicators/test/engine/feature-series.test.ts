import { FEATURE_NAMES } from '@tickstream/contracts';
import { FeatureEngine, WARMUP_BARS, computeFeatureSeries, toFeatureArray } from '@tickstream/indicators';
import { randomWalk, toBars } from '../support/random-walk';

describe('computeFeatureSeries', () => {
  const bars = toBars(randomWalk(31, 400));

  it('gives one row per warm bar, equal to what the streaming engine emits', () => {
    const rows = computeFeatureSeries(bars);
    expect(rows).toHaveLength(bars.length - WARMUP_BARS + 1);
    const engine = new FeatureEngine();
    const streamed = bars.map((b) => engine.onBar(b)).flatMap((r) => (r.kind === 'features' ? [r] : []));
    rows.forEach((row, i) => {
      expect(row.barTime).toBe(streamed[i]!.barTime);
      expect(row.features).toHaveLength(FEATURE_NAMES.length);
      expect(row.features).toEqual(toFeatureArray(streamed[i]!.values));
    });
    expect(rows[0]!.close).toBe(bars[WARMUP_BARS - 1]!.close);
  });

  it('replaces the row of a corrected bar instead of adding one', () => {
    const corrected = { ...bars[100]!, close: bars[100]!.close * 1.01, is_update: true };
    const rows = computeFeatureSeries([...bars.slice(0, 101), corrected, ...bars.slice(101)]);
    const direct = computeFeatureSeries([...bars.slice(0, 100), corrected, ...bars.slice(101)]);
    expect(rows).toEqual(direct);
  });
});
