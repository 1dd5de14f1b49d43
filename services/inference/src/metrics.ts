import { prom } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export type InferenceMetrics = ReturnType<typeof inferenceMetrics>;

/** The inference service's metrics on /metrics. */
export function inferenceMetrics(registry: Registry) {
  return {
    scored: new prom.Counter({
      name: 'inference_predictions_total',
      help: 'Feature vectors scored',
      registers: [registry],
    }),
    batchSeconds: new prom.Histogram({
      name: 'inference_batch_seconds',
      help: 'Time to score one micro-batch with onnxruntime',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    batchSize: new prom.Histogram({
      name: 'inference_batch_rows',
      help: 'Rows per micro-batch',
      buckets: [1, 4, 16, 64, 128, 256, 512],
      registers: [registry],
    }),
    featureToPrediction: new prom.Histogram({
      name: 'inference_feature_to_prediction_seconds',
      help: 'From the feature vector being computed to its prediction being published',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    cache: new prom.Counter({
      name: 'inference_cache_requests_total',
      help: 'POST /predict lookups by result (hit, miss_scored, miss_unknown)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    modelInfo: new prom.Gauge({
      name: 'inference_model_info',
      help: 'The serving model version (value 1)',
      labelNames: ['version'] as const,
      registers: [registry],
    }),
  };
}
