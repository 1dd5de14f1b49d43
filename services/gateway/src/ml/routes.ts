import type { Logger } from '@tickstream/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { TokenService } from '../auth';
import { requireAuth } from '../auth';
import { DependencyUnavailableError } from '../http/errors';
import { parse, symbolSchema } from '../http/validate';
import type { RateLimits } from '../ratelimit';

const predictSchema = z.object({ symbols: z.array(symbolSchema).min(1).max(50) }).strict();

/**
 * POST /ml/predict: the inference service's /predict for signed-in users, 30 per minute per user
 * by default. The gateway adds authentication and the limit; inference answers from its cache.
 */
export function mlRoutes(deps: {
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
      const body = parse(predictSchema, req.body);
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
  return router;
}
