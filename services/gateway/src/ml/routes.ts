import type { Logger } from '@tickstream/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { predictBody } from '@tickstream/contracts';
import type { TokenService } from '../auth';
import { requireAuth, requireRole } from '../auth';
import { DependencyUnavailableError, NotFoundError, parse } from '../request';
import type { RateLimits } from '../ratelimit';
import { readModelInfo } from './model-info';
import { readModelReportHtml } from './model-report';

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
 */
export function mlRoutes(deps: {
  db: Knex;
  /** report.json of the model inference serves when the registry has no active one. */
  modelReportFile: string;
  /** prob_up within 0.5 +/- signalBand is shown as NEUTRAL. */
  signalBand: number;
  tokens: TokenService;
  limits: RateLimits;
  inferenceUrl: string;
  perMinute: number;
  log: Logger;
}): Router {
  const router = Router();
  router.post(
    '/ml/predict',
    requireAuth(deps.tokens),
    deps.limits.limitPerUser('predictions', deps.perMinute, 60),
    async (req, res) => {
      const body = parse(predictBody, req.body);
      let upstream: Response;
      try {
        upstream = await fetch(`${deps.inferenceUrl}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(2000),
        });
      } catch (err) {
        deps.log.warn({ err }, 'inference unreachable');
        throw new DependencyUnavailableError(
          'INFERENCE_UNAVAILABLE',
          'predictions are unavailable right now; try again shortly',
          err,
        );
      }
      if (!upstream.ok) {
        deps.log.warn({ status: upstream.status }, 'inference refused a request');
        throw new DependencyUnavailableError(
          'INFERENCE_UNAVAILABLE',
          `the prediction service answered ${upstream.status}`,
        );
      }
      res.json(await upstream.json());
    },
  );
  router.get('/ml/models/:version', requireAuth(deps.tokens), async (req, res) => {
    const version = versionSchema.safeParse(req.params.version);
    const info = version.success
      ? await readModelInfo(deps.db, version.data, {
          reportFile: deps.modelReportFile,
          signalBand: deps.signalBand,
        })
      : null;
    if (!info) throw new NotFoundError('model');
    // A version's record never changes; the band only with a restart.
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.json(info);
  });

  router.get(
    '/admin/models/:version/report',
    requireAuth(deps.tokens),
    requireRole('admin'),
    async (req, res) => {
      const version = versionSchema.safeParse(req.params.version);
      const html = version.success
        ? await readModelReportHtml(deps.db, version.data, { reportFile: deps.modelReportFile })
        : null;
      if (html === null) throw new NotFoundError('model report');
      res.setHeader('Content-Security-Policy', REPORT_CSP);
      res.type('html').send(html);
    },
  );

  return router;
}
