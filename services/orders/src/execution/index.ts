export { Ledger } from './ledger';
export type { AccountTx, LedgerHooks } from './ledger';
export { QuoteBook } from './quotes';
export { SimBroker } from './sim-broker';
export { createCommandHandler } from './commands';
export type { CommandDeps, ExternalBroker } from './commands';
export { Controls } from './controls';
