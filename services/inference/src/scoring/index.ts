export { createScorer } from './scorer';
export type { ModelScorer, Score, ScorerOptions } from './scorer';
export { handleFeatures } from './stream';
export type { FeatureHandlerOptions, FeatureRecord } from './stream';
export { invalidVector, toPrediction, toRows } from './vectors';
