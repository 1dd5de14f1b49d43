import fs from 'node:fs';
import type { Express } from 'express';
import express from 'express';
import type { ApiDeps } from './api';
import { createApiRouter } from './api';
import { applySecurity } from './security';
import { serveWebClient } from './static';

export interface GatewayAppOptions {
  corsOrigins: readonly string[];
  api: ApiDeps;
  /** The built web client; when it is missing, `/` says so instead. */
  webDist: string;
}

/**
 * The gateway's Express app: security headers and CORS, the REST API under /api, then the web
 * client. Health endpoints and Socket.IO are answered in front of it, on the same server.
 */
export function createGatewayApp({ corsOrigins, api, webDist }: GatewayAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  applySecurity(app, { corsOrigins });
  app.use('/api', createApiRouter(api));
  if (fs.existsSync(webDist)) {
    serveWebClient(app, webDist);
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('Tickstream gateway: the web client is not built yet. REST: /api/openapi.json');
    });
  }
  return app;
}
