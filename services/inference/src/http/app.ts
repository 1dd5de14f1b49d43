import type { Express } from 'express';
import express from 'express';
import type { Logger } from '@tickstream/platform';
import { errorHandler } from './errors';
import type { PredictDeps } from './predict';
import { predictHandler } from './predict';

/**
 * The inference REST app (health, readiness and metrics are answered in front of it).
 *
 * @example
 *   const app = createInferenceApp({ models, score, cache, latest: (s) => latest.get(s), metrics, log });
 */
export function createInferenceApp(deps: PredictDeps & { log: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '8kb' }));
  app.post('/predict', predictHandler(deps));
  app.use(errorHandler(deps.log));
  return app;
}
