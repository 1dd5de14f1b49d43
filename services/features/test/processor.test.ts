import type { Bar } from '@tickstream/contracts';
import type { EngineStateEncoding, StateCodecError } from '@tickstream/indicators';
import { decodeEngineState } from '@tickstream/indicators';
import { createMarketSimulator } from '@tickstream/marketdata';
import { FeatureProcessor } from '../src/processor';

const START = Date.UTC(2026, 10, 2, 14, 30);

function simulatedBars(count: number): Bar[] {
  return createMarketSimulator({ seed: 9, symbols: ['AAPL'], startTime: START, barIntervalMs: 60_000 })
    .step(START + count * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: START }));
}

describe('FeatureProcessor', () => {
  const bars = simulatedBars(80);
  const [warm, next] = [bars.slice(0, -1), bars.slice(-1)];
  const savedAfterWarm = (encoding?: EngineStateEncoding) =>
    new FeatureProcessor(() => undefined, undefined, encoding).process(warm, START).states().get('AAPL')!;
  const straight = new FeatureProcessor(() => undefined).process(bars, START).vectors;

  it('resumes a symbol from its saved state, bit for bit', () => {
    const saved = savedAfterWarm();
    const outcome = new FeatureProcessor(() => saved).process(next, START);
    expect(outcome.vectors).toEqual(straight.slice(-1));
  });

  it('writes the binary layout by default and JSON when told, and resumes from either', () => {
    // Replicas of a release before the binary layout read JSON alone: during a rolling upgrade the
    // new ones write JSON, and once all are new they read back what either wrote.
    const [binary, json] = [savedAfterWarm(), savedAfterWarm('json')];
    expect(String.fromCharCode(binary[0]!, binary[1]!, binary[2]!)).toBe('TSE');
    expect(JSON.parse(json.toString())).toMatchObject({ lastBar: { start_time: warm.at(-1)!.start_time } });
    expect(binary.length).toBeLessThan(json.length);
    for (const saved of [binary, json])
      expect(new FeatureProcessor(() => saved).process(next, START).vectors).toEqual(straight.slice(-1));
  });

  it('warms a symbol up afresh, and says so, when its saved state is for another feature set or corrupt', () => {
    // A feature-set upgrade leaves every symbol's state of the old set in the changelog: refusing
    // the bar would stall its partition for good (the restore fails the same way on every retry).
    const saved = savedAfterWarm();
    const otherSet = Buffer.from(
      JSON.stringify({ ...decodeEngineState(saved).snapshot(), featureSetVersion: 'fs-0-retired' }),
    );
    for (const unusable of [otherSet, saved.subarray(0, 100), Buffer.from('{"cut short')]) {
      const discarded: Array<[string, string]> = [];
      const processor = new FeatureProcessor(
        () => unusable,
        (symbol, err) => discarded.push([symbol, (err as StateCodecError).code]),
      );
      const outcome = processor.process(next, START);
      expect(discarded).toEqual([['AAPL', expect.stringMatching(/^STATE_(FEATURE_SET_MISMATCH|CORRUPT)$/)]]);
      expect(outcome.counts.warming).toBe(1);
      expect(decodeEngineState(outcome.states().get('AAPL')!).barsSeen).toBe(1);
    }
  });
});
