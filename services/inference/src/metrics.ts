import { LATENCY_BUCKETS, STEP_BUCKETS, declareMetrics } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export type InferenceMetrics = ReturnType<typeof inferenceMetrics>;

/** The inference service's metrics on /metrics. */
export function inferenceMetrics(registry: Registry) {
  const m = declareMetrics(registry);
  return {
    scored: m.counter('inference_predictions_total', 'Feature vectors scored'),
    batchSeconds: m.histogram(
      'inference_batch_seconds',
      'Time to score one micro-batch with onnxruntime',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    ),
    batchSize: m.histogram('inference_batch_rows', 'Rows per micro-batch', [1, 4, 16, 64, 128, 256, 512]),
    featureToPrediction: m.histogram(
      'inference_feature_to_prediction_seconds',
      'From the feature vector being computed to its prediction being scored (Prediction.latency_ms)',
      // Fine around the 20 ms target of docs/BENCHMARKS.md, so its share of predictions reads
      // off one bucket; the latency of a bar boundary's batch lands between 10 and 50 ms.
      [0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    // The first part of featureToPrediction: features' produce, the broker and this consumer's
    // fetch. The rest (handler -> predicted_time) is the scoring wait.
    vectorAge: m.histogram(
      'inference_vector_age_seconds',
      'From the feature vector being computed (computed_time) to the inference handler receiving it',
      LATENCY_BUCKETS,
    ),
    // Where a batch's time goes (stream.ts): score includes waiting for the scorer's run in
    // progress (the partitions handled at once share it); publish and cache run side by side.
    batchStep: m.histogram(
      'inference_batch_step_seconds',
      'Time of each step of handling one batch of feature vectors: decode, score, publish, cache',
      STEP_BUCKETS,
      ['step'],
    ),
    cache: m.counter(
      'inference_cache_requests_total',
      'POST /predict lookups by result (hit, miss_scored, miss_unknown)',
      ['result'],
    ),
    modelInfo: m.gauge('inference_model_info', 'The serving model version (value 1)', ['version']),
  };
}
