import { LATENCY_BUCKETS, STEP_BUCKETS, declareMetrics } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export function featureMetrics(registry: Registry) {
  const m = declareMetrics(registry);
  return {
    bars: m.counter(
      'features_bars_total',
      'Bars consumed, by outcome (features, warming, duplicate, late, invalid)',
      ['outcome'],
    ),
    corrected: m.counter(
      'features_corrections_total',
      'Bars recomputed because of an updatedBars correction',
    ),
    vectors: m.counter('features_vectors_total', 'Feature vectors published'),
    unusableState: m.counter(
      'features_unusable_state_total',
      'Saved engine states refused at restore (another feature set): the symbol warmed up afresh',
    ),
    symbols: m.gauge('features_symbols', 'Symbols with state on this instance'),
    // features' part of inference's feature -> prediction latency (which starts at computed_time).
    computedToAck: m.histogram(
      'features_computed_to_ack_seconds',
      'From a feature vector being computed (computed_time) to the broker acknowledging it',
      LATENCY_BUCKETS,
    ),
    // Where a batch's time goes, in the order the handler takes the steps (see handler.ts).
    batchStep: m.histogram(
      'features_batch_step_seconds',
      'Time of each step of handling one batch of bars: decode, compute, send_vectors, send_latest, snapshot (encode the engine state), save_state (its request)',
      STEP_BUCKETS,
      ['step'],
    ),
    barToFeatures: m.histogram(
      'features_bar_to_features_seconds',
      'Time from the source bar being ingested to its feature vector being published',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  };
}
