export { createApiRouter } from './api';
export type { ApiDeps } from './api';
export { applySecurity, jsonBody } from './security';
export { serveWebClient } from './static';
export type { SecurityOptions } from './security';
export { errorHandler, notFoundHandler } from './error-handler';
export { openApiDocument } from './openapi';
export { apiEnv, rateLimitSettings } from './config';
