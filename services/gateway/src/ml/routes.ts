import { Router } from 'express';
import { z } from 'zod';
import { predictBody } from '@tickstream/contracts';
import type { ModelInfo } from '@tickstream/contracts';
import type { TokenService } from '../auth';
import { requireAuth, requireRole } from '../auth';
import { NotFoundError, parse } from '../request';
import type { RateLimits } from '../ratelimit';
import type { InferenceApi } from './inference-client';

// The report page is static HTML with inline styles and SVG: it may load and run nothing.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

const versionSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

/**
 * POST /ml/predict: the inference service's /predict for signed-in users, 30 per minute per user
 * by default. The gateway adds authentication and the limit; inference answers from its cache.
 * GET /ml/models/:version: the model's held-out accuracy against its baselines and the band in
 * which its signal reads as neutral, so a trader knows how much to trust it.
 * GET /admin/models/:version/report: the model's evaluation and backtest as an HTML page, for
 * admins (what the quant reads before promoting).
 * Models are inference's (its registry): these routes ask it, and answer 503
 * INFERENCE_UNAVAILABLE when it cannot answer.
 */
export function mlRoutes(deps: {
  inference: InferenceApi;
  /** prob_up within 0.5 +/- signalBand is shown as NEUTRAL. */
  signalBand: number;
  tokens: TokenService;
  limits: RateLimits;
  perMinute: number;
}): Router {
  const router = Router();
  router.post(
    '/ml/predict',
    requireAuth(deps.tokens),
    deps.limits.limitPerUser('predictions', deps.perMinute, 60),
    async (req, res) => {
      res.json(await deps.inference.predict(parse(predictBody, req.body)));
    },
  );

  router.get('/ml/models/:version', requireAuth(deps.tokens), async (req, res) => {
    const version = versionSchema.safeParse(req.params.version);
    const record = version.success ? await deps.inference.modelRecord(version.data) : undefined;
    if (!record) throw new NotFoundError('model');
    // A version's record never changes; the band only with a restart.
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.json({ ...record, signalBand: deps.signalBand } satisfies ModelInfo);
  });

  router.get(
    '/admin/models/:version/report',
    requireAuth(deps.tokens),
    requireRole('admin'),
    async (req, res) => {
      const version = versionSchema.safeParse(req.params.version);
      const html = version.success ? await deps.inference.modelReport(version.data) : undefined;
      if (html === undefined) throw new NotFoundError('model report');
      res.setHeader('Content-Security-Policy', REPORT_CSP);
      res.type('html').send(html);
    },
  );

  return router;
}
