import { TickstreamError } from '@tickstream/contracts';

/**
 * Stable codes a caller can switch on. Serving refuses a model on MODEL_INVALID or
 * MODEL_FEATURE_MISMATCH and keeps the one it has; neither is worth retrying with the same bytes.
 */
export type ModelErrorCode =
  'MODEL_INVALID' | 'MODEL_FEATURE_MISMATCH' | 'TRAINING_INVALID' | 'TRAINING_FAILED' | 'LOOKAHEAD';

/**
 * The package's one error: a TickstreamError whose code is one of ModelErrorCode.
 *
 * @example
 *   throw new ModelError('MODEL_FEATURE_MISMATCH', 'model expects 12 features, serving has 13');
 */
export class ModelError extends TickstreamError {
  declare readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(code, message, opts);
  }
}
