export type { BrokerKeys, BrokerKeysInfo } from './store';
export { parseMasterKey } from '@tickstream/platform';
