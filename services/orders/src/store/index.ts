export { OPEN_STATUSES, newOrderRow, orderOf, stateOf, validOrderOf, openOrderOf } from './rows';
export type { OrderRow, StoredOrderRow, PositionRow } from './rows';
export { lockAccount, saveDayState, loadRiskInputs, mergeLimits, readKillSwitch } from './accounts';
export type { RiskInputs } from './accounts';
export { record, writeRecorded } from './recorder';
export type { AccountBook, Recorded } from './recorder';
export { OutboxPublisher } from './outbox';
export type { OutboxRow, PublishPath } from './outbox';
