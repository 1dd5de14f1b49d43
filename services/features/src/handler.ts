import type { Bar } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import type { StateChangelog } from './changelog';
import type { featureMetrics } from './metrics';
import type { FeatureProcessor } from './processor';

/**
 * What the features service does with one consumed batch of bars: compute, then write vectors
 * (features.v1 and features.latest.v1) and engine state before the consumer commits offsets
 * (at-least-once; a bar delivered again after a crash is a duplicate to the restored engine).
 */
export function createBarsHandler(deps: {
  processor: FeatureProcessor;
  producer: TypedProducer;
  changelog: Pick<StateChangelog, 'topic' | 'messages' | 'remember'>;
  metrics?: ReturnType<typeof featureMetrics>;
}): (bars: Bar[]) => Promise<void> {
  const { processor, producer, changelog, metrics } = deps;
  return async (bars) => {
    const computed = Date.now();
    const outcome = processor.process(bars, computed);
    const out = outcome.vectors.map((v) => ({ key: v.symbol, value: v }));
    // One request for vectors and state: the batch's output is acknowledged together.
    await producer.sendBatch([
      { id: 'features', messages: await producer.encode('features', out) },
      { id: 'featuresLatest', messages: await producer.encode('featuresLatest', out) },
      { topic: changelog.topic, messages: changelog.messages(outcome.snapshots) },
    ]);
    changelog.remember(outcome.snapshots);
    if (!metrics) return;
    const acked = (Date.now() - computed) / 1000;
    for (let i = 0; i < outcome.vectors.length; i++) metrics.computedToAck.observe(acked);
    for (const [kind, n] of Object.entries(outcome.counts))
      if (n > 0 && kind !== 'corrected') metrics.bars.inc({ outcome: kind }, n);
    metrics.corrected.inc(outcome.counts.corrected);
    metrics.vectors.inc(outcome.vectors.length);
    const now = Date.now();
    for (const v of outcome.vectors) metrics.barToFeatures.observe((now - v.bar_ingest_time) / 1000);
  };
}
