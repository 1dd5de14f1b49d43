export { overridesSchema } from './risk-limits';
