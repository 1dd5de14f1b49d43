export { orderRoutes, ORDERS_PER_MINUTE } from './routes';
export type { OrderRoutesDeps, PublishCommand } from './routes';
export { ordersApi } from './service-client';
export type { OrdersApi, OrdersApiOptions, OrderFilter } from './service-client';
export { createCommandPublisher, commandClientSettings } from './publisher';
export type { CommandPublisher } from './publisher';
export { DEFAULT_SEND_TIMEOUT_MS } from './place';
