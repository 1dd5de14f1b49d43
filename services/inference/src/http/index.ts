export { createInferenceApp } from './app';
export { predictBody, predictHandler } from './predict';
export type { PredictDeps } from './predict';
