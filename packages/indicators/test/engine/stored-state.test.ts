import type { FeatureBar, FeatureEngineSnapshot } from '@tickstream/indicators';
import { FeatureEngine } from '@tickstream/indicators';
import fixture from '../fixtures/engine-state.v1.json';

/**
 * Engine states as features.state.v1 holds them (JSON.stringify of a snapshot), written by the
 * code of 2026-12-03 before the indicators' state handling was rewritten: the bars that
 * followed each state and what that engine answered for them, and its state after them. A
 * state stored by an older release must restore and continue bit for bit, and a state written
 * now must be the same text, so replicas of both releases can read each other's changelog.
 */
interface StoredCase {
  readonly name: string;
  readonly state: string;
  readonly bars: FeatureBar[];
  readonly results: unknown[];
  readonly stateAfter: string;
}

/** JSON that keeps every double: NaN, the infinities and -0 (which JSON would lose) as strings. */
function lossless(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_key, v: unknown) =>
      typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
        ? Object.is(v, -0)
          ? '-0'
          : String(v)
        : v,
    ),
  );
}

describe('engine state stored by an earlier release', () => {
  const cases = (fixture as { cases: StoredCase[] }).cases;

  it('covers a fresh engine, a warming one, a corrected bar and a flat window across New York midnight', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'fresh',
      'warming',
      'warm-after-correction',
      'flat-across-ny-midnight',
    ]);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: restores, continues bit for bit, stores the same text',
    (_name, c) => {
      const engine = FeatureEngine.restore(JSON.parse(c.state) as FeatureEngineSnapshot);
      expect(JSON.stringify(engine.snapshot())).toBe(c.state);
      expect(lossless(c.bars.map((b) => engine.onBar(b)))).toEqual(c.results);
      expect(JSON.stringify(engine.snapshot())).toBe(c.stateAfter);
    },
  );
});
