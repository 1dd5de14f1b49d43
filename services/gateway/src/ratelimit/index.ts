export { createRateLimits } from './limits';
export type { RateLimits, RateLimitsOptions } from './limits';
export { DEFAULT_FAIL_POLICY, DEFAULT_RATE_LIMITS } from './policy';
export type { FailPolicy, RateLimitSettings } from './policy';
