export type * from './generated/avro';
export { FEATURE_NAMES, FEATURE_SET_VERSION } from './features';
export type { FeatureName } from './features';
