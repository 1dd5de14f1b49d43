export { mlRoutes } from './routes';
export { inferenceApi } from './inference-client';
export type { InferenceApi, InferenceApiOptions } from './inference-client';
