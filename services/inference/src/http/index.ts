export { createInferenceApp } from './app';
export type { InferenceAppDeps } from './app';
export type { PredictDeps } from './predict';
export { INTERNAL_API_PATH, internalApi } from './internal';
export { modelRecords } from './models';
export type { ModelRecords } from './models';
