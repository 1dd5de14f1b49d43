export { orderRoutes, ORDERS_PER_MINUTE } from './routes';
export type { OrderRoutesDeps, PublishCommand } from './routes';
export { listOrders, getOrder } from './store';
export type { OrderFilter } from './store';
export { listPositions, accountSummary } from './account';
