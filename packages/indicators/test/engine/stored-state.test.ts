import type { FeatureBar, FeatureEngineSnapshot } from '@tickstream/indicators';
import { FeatureEngine, StateCodecError, decodeEngineState } from '@tickstream/indicators';
import binaryFixture from '../fixtures/engine-state.binary-v1.json';
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

describe('engine state in the binary layout', () => {
  const jsonCases = (fixture as { cases: StoredCase[] }).cases;
  const binaryCases = (binaryFixture as { cases: Array<{ name: string; state: string; stateAfter: string }> })
    .cases;
  const bytes = (base64: string) => Buffer.from(base64, 'base64');

  it.each(jsonCases.map((c, i) => [c.name, c, binaryCases[i]!] as const))(
    '%s: holds what the JSON state holds, continues bit for bit, and is written byte for byte as before',
    (name, c, b) => {
      expect(b.name).toBe(name);
      // Golden bytes: a change to any indicator's field order or layout fails here.
      expect(
        Buffer.from(FeatureEngine.restore(JSON.parse(c.state) as FeatureEngineSnapshot).encode()).toString(
          'base64',
        ),
      ).toBe(b.state);
      const engine = decodeEngineState(bytes(b.state));
      expect(JSON.stringify(engine.snapshot())).toBe(c.state);
      expect(lossless(c.bars.map((bar) => engine.onBar(bar)))).toEqual(c.results);
      expect(Buffer.from(engine.encode()).toString('base64')).toBe(b.stateAfter);
      expect(JSON.stringify(engine.snapshot())).toBe(c.stateAfter);
    },
  );

  const warm = bytes(binaryCases.find((c) => c.name === 'warm-after-correction')!.state);
  const codeOf = (data: Uint8Array) => {
    try {
      decodeEngineState(data);
    } catch (err) {
      return err instanceof StateCodecError ? err.code : `${(err as Error).name}: ${(err as Error).message}`;
    }
    return 'decoded';
  };

  it('refuses bytes cut short, with trailing data, or of another layout, with a typed error', () => {
    expect(codeOf(warm)).toBe('decoded');
    expect(codeOf(warm.subarray(0, warm.length - 8))).toBe('STATE_CORRUPT');
    expect(codeOf(warm.subarray(0, 3))).toBe('STATE_CORRUPT');
    expect(codeOf(Buffer.concat([warm, Buffer.alloc(8)]))).toBe('STATE_CORRUPT');
    expect(codeOf(Buffer.from([0x54, 0x53, 0x45, 0x02, ...warm.subarray(4)]))).toBe('STATE_UNKNOWN_FORMAT');
    expect(codeOf(Buffer.alloc(0))).toBe('STATE_CORRUPT');
    expect(codeOf(Buffer.from('{"featureSet'))).toBe('STATE_CORRUPT');
  });

  it('refuses another feature set and a window count larger than the window', () => {
    const otherSet = Buffer.from(warm);
    otherSet.write('fs0', 4 + 8, 'latin1');
    expect(codeOf(otherSet)).toBe('STATE_FEATURE_SET_MISMATCH');
    // ret_1's window of closes (capacity 1) is the first: after the header, the version, the
    // last bar (its flag and 7 fields), the set's bar count, the lag and the window's capacity.
    const version = warm.readDoubleLE(4);
    const ringCountAt = 4 + 8 + version + 8 + 7 * 8 + 8 + 8 + 8;
    expect([warm.readDoubleLE(ringCountAt - 8), warm.readDoubleLE(ringCountAt)]).toEqual([1, 1]);
    const tooMany = Buffer.from(warm);
    tooMany.writeDoubleLE(2, ringCountAt);
    expect(codeOf(tooMany)).toBe('STATE_CORRUPT');
    const otherWindow = Buffer.from(warm);
    otherWindow.writeDoubleLE(3, ringCountAt - 8);
    expect(codeOf(otherWindow)).toMatch(/^RangeError: ring buffer snapshot does not fit/);
  });
});
