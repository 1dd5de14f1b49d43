export { readRiskLimits } from './risk-limits';
export type { EffectiveRiskLimits, RiskLimitRecord } from './risk-limits';
