import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/contracts';
import type { DeadLetterReason, Logger } from '@tickstream/platform';
import type { InferenceMetrics } from '../metrics';
import type { ModelScorer, Score } from './scorer';
import { invalidVector } from './vectors';

/** A record of the features topic, as the handler reads it. */
export interface FeatureRecord {
  value: FeatureVector;
}

export interface FeatureHandlerOptions<R extends FeatureRecord> {
  models: Pick<ModelScorer, 'current'>;
  score: Score;
  /** Publishes predictions (to the predictions topic, keyed by symbol). */
  publish: (predictions: Prediction[]) => Promise<void>;
  /** Best effort: a cache that is down costs /predict a rescoring, never the stream. */
  cache: { put(predictions: Prediction[]): Promise<void> };
  metrics: Pick<InferenceMetrics, 'scored' | 'featureToPrediction' | 'vectorAge' | 'batchStep'>;
  log: Pick<Logger, 'warn'>;
  deadLetter: (record: R, reason: DeadLetterReason) => Promise<void>;
}

/**
 * Handles one batch of the features topic: dead-letters vectors the model cannot score, scores
 * the rest, publishes the predictions and caches them for /predict.
 *
 * @throws TickstreamError NO_MODEL (retryable) before any model has loaded, so the batch is
 *   retried rather than dead-lettered.
 */
export async function handleFeatures<R extends FeatureRecord>(
  records: readonly R[],
  opts: FeatureHandlerOptions<R>,
): Promise<void> {
  if (!opts.models.current)
    throw new TickstreamError('NO_MODEL', 'no model to score with yet', { retryable: true });
  const received = Date.now();
  for (const r of records) opts.metrics.vectorAge.observe((received - r.value.computed_time) / 1000);
  const valid: FeatureVector[] = [];
  for (const r of records) {
    const reason = invalidVector(r.value);
    if (reason) await opts.deadLetter(r, { code: 'INVALID_FEATURES', message: reason });
    else valid.push(r.value);
  }
  const step = (name: 'score' | 'publish' | 'cache') => opts.metrics.batchStep.startTimer({ step: name });
  const scored = step('score');
  const predictions = await opts.score(valid);
  scored();
  const published = step('publish');
  const cached = step('cache');
  // The cache is written beside the publish, not after it: its round trip is not the stream's.
  await Promise.all([
    opts.publish(predictions).then(() => published()),
    opts.cache
      .put(predictions)
      .catch((err: unknown) => opts.log.warn({ err }, 'prediction cache unavailable'))
      .then(() => cached()),
  ]);
  opts.metrics.scored.inc(predictions.length);
  for (const p of predictions) opts.metrics.featureToPrediction.observe(p.latency_ms / 1000);
}
