import type { Bar } from '@tickstream/contracts';
import type { FeatureEngineSnapshot } from '@tickstream/indicators';
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

  it('resumes a symbol from its saved state', () => {
    const first = new FeatureProcessor(() => undefined);
    const saved = first.process(warm, START).snapshots().get('AAPL')!;
    const outcome = new FeatureProcessor(() => saved).process(next, START);
    expect(outcome.counts.features).toBe(1);
  });

  it('warms a symbol up afresh, and says so, when its saved state is for another feature set', () => {
    // A feature-set upgrade leaves every symbol's state of the old set in the changelog: refusing
    // the bar would stall its partition for good (the restore fails the same way on every retry).
    const saved = new FeatureProcessor(() => undefined).process(warm, START).snapshots().get('AAPL')!;
    const old = { ...saved, featureSetVersion: 'fs-0-retired' } as FeatureEngineSnapshot;
    const discarded: string[] = [];
    const processor = new FeatureProcessor(
      () => old,
      (symbol) => discarded.push(symbol),
    );
    const outcome = processor.process(next, START);
    expect(discarded).toEqual(['AAPL']);
    expect(outcome.counts.warming).toBe(1);
    expect(outcome.snapshots().get('AAPL')?.featureSetVersion).toBe(saved.featureSetVersion);
  });
});
