import type { Bar } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import type { StateChangelog } from './changelog';
import type { featureMetrics } from './metrics';
import type { BatchOutcome, FeatureProcessor } from './processor';

/** A step of handling one batch, as features_batch_step_seconds labels it. */
export type BatchStep = 'decode' | 'compute' | 'send_vectors' | 'send_latest' | 'snapshot' | 'save_state';

/**
 * What the features service does with one consumed batch of bars: compute, then three requests,
 * each sent once the one before is acknowledged: the vectors (features.v1), the latest vectors
 * (features.latest.v1) and the engine state; the consumer commits the offsets after all three
 * (at-least-once).
 *
 * The vectors go alone and first because inference reads them and measures its latency from
 * their being computed: the latest vectors (read only by /predict on a cache miss) and the state
 * (~0.3 MB of engine state for a 250-symbol bar boundary, against ~80 KB of vectors) would make
 * the request bigger and the vectors readable later.
 *
 * The order is the crash-recovery rule. A snapshot in the changelog counts the bars it has seen,
 * and an engine restored from it takes those bars again as duplicates, writing nothing: so state
 * is written only after everything it follows from is acknowledged, vectors and latest vectors
 * both, and a crash anywhere leaves either the old state (the bars come again and their output is
 * written again: duplicates downstream, none lost) or the new state with all its output written.
 * State sent beside the latest vectors could land while they fail, and the compacted topic would
 * keep the symbol's previous vector until its next bar (test/crash-order.test.ts).
 *
 * A failed batch (a send, or a saved state that cannot be read) forgets the batch's engines, so
 * the batch, handled again (the consumer's retry, or its records one at a time before one is
 * dead-lettered), resumes from the last acknowledged state rather than an engine that already
 * counted its bars. The snapshots are taken only once the output is acknowledged.
 */
export function createBarsHandler(deps: {
  processor: FeatureProcessor;
  /** Sends the vectors. */
  producer: Pick<TypedProducer, 'encode' | 'sendBatch'>;
  /**
   * Sends what follows the vectors: the latest vectors, then the engine state. May be `producer`;
   * one of its own keeps a partition's vectors from queuing behind another partition's requests
   * (a producer sends one request at a time).
   */
  trailingProducer: Pick<TypedProducer, 'sendBatch'>;
  changelog: Pick<StateChangelog, 'topic' | 'messages' | 'remember' | 'catchUp'>;
  metrics?: ReturnType<typeof featureMetrics>;
}): (bars: Bar[]) => Promise<void> {
  const { processor, producer, trailingProducer, changelog, metrics } = deps;
  async function timed<R>(step: BatchStep, work: () => R | Promise<R>): Promise<R> {
    const end = metrics?.batchStep.startTimer({ step });
    const result = await work();
    end?.();
    return result;
  }
  // The changelog's reader may read a symbol's older snapshot after this instance has written a
  // newer one (it lags under load), and hold that until it reads on. Engines forgotten by a failed
  // batch are restored from it: they wait until it has read everything written so far, or they
  // would resume without the bars in between.
  let catchUpFirst = false;
  return async (bars) => {
    const computed = Date.now();
    let outcome: BatchOutcome;
    let states: Map<string, Buffer>;
    try {
      if (catchUpFirst) {
        await changelog.catchUp();
        catchUpFirst = false;
      }
      // Inside the try: a bar that fails here (a saved state that cannot be read) leaves the
      // bars before it applied, and the batch handled again would take them as duplicates.
      outcome = await timed('compute', () => processor.process(bars, computed));
      const out = outcome.vectors.map((v) => ({ key: v.symbol, value: v }));
      await timed('send_vectors', async () =>
        producer.sendBatch([{ id: 'features', messages: await producer.encode('features', out) }]),
      );
      const acked = (Date.now() - computed) / 1000;
      for (let i = 0; i < outcome.vectors.length; i++) metrics?.computedToAck.observe(acked);
      await timed('send_latest', async () =>
        trailingProducer.sendBatch([
          { id: 'featuresLatest', messages: await producer.encode('featuresLatest', out) },
        ]),
      );
      // The snapshot step is CPU alone (encoding the engines), save_state the round trip.
      states = await timed('snapshot', () => outcome.states());
      const messages = changelog.messages(states);
      await timed('save_state', () => trailingProducer.sendBatch([{ topic: changelog.topic, messages }]));
    } catch (err) {
      processor.forget(bars.map((b) => b.symbol));
      catchUpFirst = true;
      throw err;
    }
    changelog.remember(states);
    if (!metrics) return;
    for (const [kind, n] of Object.entries(outcome.counts))
      if (n > 0 && kind !== 'corrected') metrics.bars.inc({ outcome: kind }, n);
    metrics.corrected.inc(outcome.counts.corrected);
    metrics.vectors.inc(outcome.vectors.length);
    const now = Date.now();
    for (const v of outcome.vectors) metrics.barToFeatures.observe((now - v.bar_ingest_time) / 1000);
  };
}
