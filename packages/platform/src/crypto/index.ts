export { KEY_VERSION, maskKeyId, open as openSealed, parseMasterKey, seal } from './sealed';
export type { Sealed } from './sealed';
