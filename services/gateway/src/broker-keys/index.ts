export { decryptBrokerKeys } from './store';
export type { BrokerKeys, BrokerKeysInfo } from './store';
export { parseMasterKey } from '@tickstream/platform';
