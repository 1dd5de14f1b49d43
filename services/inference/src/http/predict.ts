import type { RequestHandler } from 'express';
import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { SYMBOL_PATTERN } from '@tickstream/contracts';
import { z } from 'zod';
import { validationFailed } from './errors';
import type { InferenceMetrics } from '../metrics';
import type { ModelScorer, Score } from '../scoring';
import { invalidVector } from '../scoring';

export const predictBody = z.object({
  symbols: z
    .array(
      z
        .string()
        .transform((s) => s.trim().toUpperCase())
        .pipe(z.string().regex(SYMBOL_PATTERN)),
    )
    .min(1)
    .max(50),
});

export interface PredictDeps {
  models: Pick<ModelScorer, 'current'>;
  score: Score;
  /** Cached predictions by symbol; a cache that fails counts as empty. */
  cache: {
    get(symbols: readonly string[]): Promise<Map<string, Prediction>>;
    put(predictions: readonly Prediction[]): Promise<void>;
  };
  /** The latest feature vector of a symbol, to score on a cache miss. */
  latest: (symbol: string) => FeatureVector | undefined;
  metrics: Pick<InferenceMetrics, 'cache'>;
}

/**
 * POST /predict {symbols}: cached predictions, and fresh ones scored from each missing symbol's
 * latest features; symbols with neither are listed as `unknown`.
 */
export function predictHandler({ models, score, cache, latest, metrics }: PredictDeps): RequestHandler {
  return (req, res, next) => {
    const parsed = predictBody.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json(validationFailed('send {"symbols": ["AAPL", ...]} with 1 to 50 ticker symbols', parsed.error));
      return;
    }
    (async () => {
      const symbols = [...new Set(parsed.data.symbols)];
      const cached = await cache.get(symbols).catch(() => new Map<string, Prediction>());
      const missing = symbols.filter((s) => !cached.has(s));
      const known = missing
        .map((s) => latest(s))
        .filter((v): v is FeatureVector => v !== undefined && !invalidVector(v));
      const fresh = known.length > 0 && models.current ? await score(known) : [];
      await cache.put(fresh).catch(() => undefined);
      metrics.cache.inc({ result: 'hit' }, cached.size);
      metrics.cache.inc({ result: 'miss_scored' }, fresh.length);
      metrics.cache.inc({ result: 'miss_unknown' }, missing.length - fresh.length);
      const bySymbol = new Map([...cached, ...fresh.map((p) => [p.symbol, p] as const)]);
      res.json({
        predictions: symbols
          .filter((s) => bySymbol.has(s))
          .map((s) => ({ ...bySymbol.get(s)!, cached: cached.has(s) })),
        unknown: symbols.filter((s) => !bySymbol.has(s)),
        model_version: models.current?.version ?? null,
      });
    })().catch(next);
  };
}
