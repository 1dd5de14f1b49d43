export { allDemand, userWatchlistSymbols, demandOf } from './demand';
export type { PublishDemand } from './demand';
export type { Watchlist } from '@tickstream/contracts';
export type { WatchlistsChanged } from './routes';
