export type { PublicUser, Role, Broker } from './users';
export { readRiskLimits } from './risk-limits';
export type { EffectiveRiskLimits, RiskLimitRecord } from './risk-limits';
