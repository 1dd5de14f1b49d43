import type { Express } from 'express';
import express from 'express';
import type { Logger } from '@tickstream/platform';
import { requireServiceToken } from '@tickstream/platform';
import { errorHandler } from './errors';
import { INTERNAL_API_PATH, internalApi } from './internal';
import type { ModelRecords } from './models';
import type { PredictDeps } from './predict';
import { predictHandler } from './predict';

export type InferenceAppDeps = PredictDeps & {
  log: Logger;
  /** What the internal API answers of models (modelRecords). */
  records: ModelRecords;
  /** INFERENCE_SERVICE_TOKEN: every request to /predict and the internal API must carry it. */
  serviceToken: string;
};

/**
 * The inference REST app (health, readiness and metrics are answered in front of it): POST
 * /predict, and the internal API under /internal/v1 (models). Both only for the gateway, which
 * authenticated and rate-limited the trader: each scoring costs CPU, so an open /predict let
 * anyone who reached the service spend it.
 *
 * @example
 *   const app = createInferenceApp({ models, score, cache, latest, metrics, records, serviceToken, log });
 */
export function createInferenceApp(deps: InferenceAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(INTERNAL_API_PATH, internalApi({ models: deps.records, serviceToken: deps.serviceToken }));
  // The token before the body is read: a caller without it gets 401, whatever it sent.
  app.post(
    '/predict',
    requireServiceToken(deps.serviceToken),
    express.json({ limit: '8kb' }),
    predictHandler(deps),
  );
  app.use(errorHandler(deps.log));
  return app;
}
