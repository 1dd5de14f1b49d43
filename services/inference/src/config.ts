import path from 'node:path';
import { port, positiveInt, secret } from '@tickstream/platform';
import { z } from 'zod';

/** The inference service's own settings, spread into `bootService`'s shape. */
export const inferenceEnv = {
  HTTP_PORT: port(9103),
  /** Seconds a prediction is served from the cache by /predict. */
  ML_CACHE_TTL: positiveInt(30),
  /** Rows per onnxruntime call. */
  INFERENCE_BATCH_MAX: positiveInt(256),
  /**
   * Partitions of features.v1 handled at once. A bar boundary brings every symbol's vector in one
   * burst; one partition at a time, the last waited for every other partition's scoring, publish
   * and cache round trips. Records of a partition stay in order.
   */
  INFERENCE_CONCURRENT_PARTITIONS: positiveInt(6),
  /** How often the model registry is asked for a newly promoted model. */
  MODEL_POLL_MS: positiveInt(5000),
  /** Bearer token of the internal API (/internal/v1), which the gateway calls: at least 32 bytes. */
  INFERENCE_SERVICE_TOKEN: secret(),
  /** Served while the registry holds no model; its report.json and report.html sit beside it. */
  MODEL_FILE: z.string().default(path.resolve(__dirname, '../../../models/default/model.onnx')),
};
