import type { FeatureVector, Prediction } from '@tickstream/contracts';
import type { InferenceMetrics } from '../metrics';
import { toPrediction, toRows } from './vectors';

/** What scoring needs of the serving model (ModelHolder in the service, a fake in tests). */
export interface ModelScorer {
  readonly current: { version: string } | undefined;
  score(
    rows: Float32Array,
    n: number,
  ): Promise<{ model: { version: string; horizon: number }; probUp: Float32Array }>;
}

export interface ScorerOptions {
  models: ModelScorer;
  /** Rows per onnxruntime call: bounds one batch's memory and latency. */
  batchMax: number;
  metrics: Pick<InferenceMetrics, 'batchSeconds' | 'batchSize'>;
  now?: () => number;
}

export type Score = (vectors: readonly FeatureVector[]) => Promise<Prediction[]>;

/**
 * Scores vectors in chunks of at most `batchMax` rows, in order: the stream and /predict share it.
 *
 * @example
 *   const score = createScorer({ models, batchMax: config.INFERENCE_BATCH_MAX, metrics });
 *   const predictions = await score(vectors);
 */
export function createScorer({ models, batchMax, metrics, now = Date.now }: ScorerOptions): Score {
  return async (vectors) => {
    const out: Prediction[] = [];
    for (let i = 0; i < vectors.length; i += batchMax) {
      const chunk = vectors.slice(i, i + batchMax);
      const t0 = process.hrtime.bigint();
      const { model, probUp } = await models.score(toRows(chunk), chunk.length);
      metrics.batchSeconds.observe(Number(process.hrtime.bigint() - t0) / 1e9);
      metrics.batchSize.observe(chunk.length);
      const at = now();
      chunk.forEach((v, j) => out.push(toPrediction(v, probUp[j]!, model, at)));
    }
    return out;
  };
}
