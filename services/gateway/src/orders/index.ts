export { orderRoutes, ORDERS_PER_MINUTE } from './routes';
export type { OrderRoutesDeps, PublishCommand } from './routes';
export { listOrders, getOrder } from './store';
export type { OrderFilter } from './store';
export { listPositions, accountSummary } from './account';
export { createCommandPublisher, commandClientSettings } from './publisher';
export type { CommandPublisher } from './publisher';
export { DEFAULT_SEND_TIMEOUT_MS } from './place';
