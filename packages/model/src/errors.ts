/**
 * Stable codes a caller can switch on. Serving refuses a model on MODEL_INVALID or
 * MODEL_FEATURE_MISMATCH and keeps the one it has; neither is worth retrying with the same bytes.
 */
export type ModelErrorCode =
  'MODEL_INVALID' | 'MODEL_FEATURE_MISMATCH' | 'TRAINING_INVALID' | 'TRAINING_FAILED' | 'LOOKAHEAD';

/**
 * The package's one error. Same shape as the platform's base error (code, retryable, cause) so a
 * service can treat both alike; this package does not depend on @tickstream/platform.
 *
 * @example
 *   throw new ModelError('MODEL_FEATURE_MISMATCH', 'model expects 12 features, serving has 13');
 */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly retryable: boolean;

  constructor(code: ModelErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}
