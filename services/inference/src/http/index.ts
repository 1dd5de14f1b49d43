export { createInferenceApp } from './app';
export type { PredictDeps } from './predict';
