// The order service's internal API: what the gateway asks of orders, positions, accounts' risk
// controls and the kill switch, over HTTP on the service's port, behind a service token.
export { internalApi, INTERNAL_API_PATH, INTERNAL_KEEP_ALIVE_MS } from './routes';
export type { InternalApiDeps } from './routes';
