import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelRecord } from '@tickstream/contracts';
import { z } from 'zod';
import type { ModelRegistry } from '../registry';

const score = z.object({ accuracy: z.number(), balancedAccuracy: z.number() });
const pooled = z.object({ model: score, majority: score, previousDirection: score });

/** The registry's `metrics` column (training/report.ts, registryMetrics); rows of older code may differ. */
const registryMetrics = z.object({
  pooled,
  promotion: z.object({ promote: z.boolean() }),
  heldOutRows: z.number(),
});

/** The parts of a model's report.json read here (the shipped default model is not in the registry). */
const reportFile = z.object({
  version: z.string(),
  horizon: z.number(),
  evaluation: z.object({ pooled: pooled.extend({ model: score.extend({ n: z.number() }) }) }),
  promotion: z.object({ promote: z.boolean() }),
});

const pick = (s: z.infer<typeof score>) => ({ accuracy: s.accuracy, balancedAccuracy: s.balancedAccuracy });

/** What the internal API answers of models. */
export interface ModelRecords {
  /** A version's held-out record; null when unknown or of an unexpected shape. */
  record(version: string): Promise<ModelRecord | null>;
  /** A version's HTML report page; null when unknown or registered without one. */
  reportHtml(version: string): Promise<string | null>;
}

/**
 * Models by version: from the registry, else from the report of the model served while the
 * registry has none (report.json and report.html next to MODEL_FILE, models/default/), if that
 * is the version asked for.
 */
export function modelRecords(
  registry: Pick<ModelRegistry, 'evaluation' | 'reportHtml'>,
  modelFile: string,
): ModelRecords {
  const dir = path.dirname(modelFile);
  /** The fallback model's report when it is `version`'s. */
  async function fallbackReport(version: string): Promise<z.infer<typeof reportFile> | null> {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(path.join(dir, 'report.json'), 'utf8'));
    } catch {
      return null;
    }
    const r = reportFile.safeParse(json);
    return r.success && r.data.version === version ? r.data : null;
  }

  return {
    async record(version) {
      const row = await registry.evaluation(version);
      if (row) {
        const m = registryMetrics.safeParse(row.metrics);
        if (!m.success) return null;
        return {
          version,
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
        };
      }
      const r = await fallbackReport(version);
      if (!r) return null;
      const p = r.evaluation.pooled;
      return {
        version,
        horizonBars: r.horizon,
        heldOut: {
          rows: p.model.n,
          model: pick(p.model),
          baselines: { majority: pick(p.majority), previousDirection: pick(p.previousDirection) },
        },
        beatsBaselines: r.promotion.promote,
      };
    },

    async reportHtml(version) {
      const html = await registry.reportHtml(version);
      if (html !== undefined) return html;
      if (!(await fallbackReport(version))) return null;
      return fs.readFile(path.join(dir, 'report.html'), 'utf8').catch(() => null);
    },
  };
}
