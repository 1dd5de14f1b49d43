export type { BrokerKeys } from './store';
export { parseMasterKey } from '@tickstream/platform';
