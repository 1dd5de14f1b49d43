export { allDemand, userWatchlistSymbols, demandOf } from './demand';
export type { PublishDemand } from './demand';
export { MAX_SYMBOLS, MAX_WATCHLISTS } from './store';
export type { Watchlist } from '@tickstream/contracts';
export type { WatchlistsChanged } from './routes';
