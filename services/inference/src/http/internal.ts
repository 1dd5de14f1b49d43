import express from 'express';
import type { Router } from 'express';
import type { ErrorBody } from '@tickstream/contracts';
import { requireServiceToken } from '@tickstream/platform';
import type { ModelRecords } from './models';

/** The path every route of the internal API is under. */
export const INTERNAL_API_PATH = '/internal/v1';

const VERSION = /^[A-Za-z0-9._:-]{1,128}$/;

const notFound = (what: string): ErrorBody => ({ code: 'MODEL_NOT_FOUND', message: `no such ${what}` });

/**
 * Inference's internal API, which the gateway calls instead of reading the model registry, this
 * service's table (docs/ARCHITECTURE.md, "Who owns which table"). Behind the service token
 * (INFERENCE_SERVICE_TOKEN): the report pages are for admins, whom only the gateway knows.
 *
 * GET /models/:version: the model's held-out record (ModelRecord), 404 MODEL_NOT_FOUND when
 * unknown. GET /models/:version/report: its HTML report page, 404 when unknown or without one.
 *
 * @example
 *   app.use(INTERNAL_API_PATH, internalApi({ models: modelRecords(registry, config.MODEL_FILE), serviceToken }));
 */
export function internalApi(deps: { models: ModelRecords; serviceToken: string }): Router {
  const router = express.Router();
  router.use(requireServiceToken(deps.serviceToken));

  router.get('/models/:version', async (req, res) => {
    const record = VERSION.test(req.params.version) ? await deps.models.record(req.params.version) : null;
    if (!record) return void res.status(404).json(notFound('model'));
    res.json(record);
  });

  router.get('/models/:version/report', async (req, res) => {
    const html = VERSION.test(req.params.version) ? await deps.models.reportHtml(req.params.version) : null;
    if (html === null) return void res.status(404).json(notFound('model report'));
    res.type('html').send(html);
  });

  return router;
}
