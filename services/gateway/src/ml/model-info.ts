import fs from 'node:fs/promises';
import type { ModelInfo } from '@tickstream/contracts';
import type { Knex } from 'knex';
import { z } from 'zod';

const score = z.object({ accuracy: z.number(), balancedAccuracy: z.number() });
const pooled = z.object({ model: score, majority: score, previousDirection: score });

/** The registry's `metrics` column (services/inference/src/training/report.ts, registryMetrics). */
const registryMetrics = z.object({
  pooled,
  promotion: z.object({ promote: z.boolean() }),
  heldOutRows: z.number(),
});

/** The parts of a model's report.json this reads (the shipped default model is not in the registry). */
const reportFile = z.object({
  version: z.string(),
  horizon: z.number(),
  evaluation: z.object({ pooled: pooled.extend({ model: score.extend({ n: z.number() }) }) }),
  promotion: z.object({ promote: z.boolean() }),
});

const pick = (s: z.infer<typeof score>) => ({ accuracy: s.accuracy, balancedAccuracy: s.balancedAccuracy });

/**
 * A model's held-out record by version: from the registry, else from the report of the model the
 * inference service serves when the registry has none (models/default/report.json); null when
 * neither knows the version or the record has an unexpected shape.
 */
export async function readModelInfo(
  db: Knex,
  version: string,
  opts: { reportFile: string; signalBand: number },
): Promise<ModelInfo | null> {
  const row = (await db('models').where({ version }).first('version', 'horizon', 'metrics')) as
    { version: string; horizon: number; metrics: unknown } | undefined;
  if (row) {
    const m = registryMetrics.safeParse(row.metrics);
    if (!m.success) return null;
    return {
      version: row.version,
      horizonBars: row.horizon,
      heldOut: {
        rows: m.data.heldOutRows,
        model: pick(m.data.pooled.model),
        baselines: {
          majority: pick(m.data.pooled.majority),
          previousDirection: pick(m.data.pooled.previousDirection),
        },
      },
      beatsBaselines: m.data.promotion.promote,
      signalBand: opts.signalBand,
    };
  }
  let text: string;
  try {
    text = await fs.readFile(opts.reportFile, 'utf8');
  } catch {
    return null;
  }
  const r = reportFile.safeParse(JSON.parse(text));
  if (!r.success || r.data.version !== version) return null;
  const p = r.data.evaluation.pooled;
  return {
    version,
    horizonBars: r.data.horizon,
    heldOut: {
      rows: p.model.n,
      model: pick(p.model),
      baselines: { majority: pick(p.majority), previousDirection: pick(p.previousDirection) },
    },
    beatsBaselines: r.data.promotion.promote,
    signalBand: opts.signalBand,
  };
}
