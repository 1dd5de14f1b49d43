import { createHash } from 'node:crypto';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import { z } from 'zod';
import type {
  Contender,
  EvaluationReport,
  ForestParams,
  GainLowerBounds,
  Metrics,
  PromotionDecision,
} from '@tickstream/model';
import { decidePromotion, gainLowerBounds, promotionDecision } from '@tickstream/model';
import { TickstreamError } from '@tickstream/platform';
import type { CodeVersion } from './code-version';
import type { DataSummary } from './dataset';
import type { ParityResult } from './parity';
import type { TrainedModel, TrainOptions } from './pipeline';

/** What a data source was, for the record (never keys). */
export interface SourceDescription {
  kind: 'csv' | 'sim' | 'topic' | 'alpaca';
  [detail: string]: unknown;
}

/** How a training run went: not part of the model, so absent from reports built in tests. */
export interface RunInfo {
  startedAt: string;
  /** Wall-clock seconds from start to the report. */
  seconds: number;
  /** Feature rows, labelled rows, held-out rows (the folds' test rows). */
  rows: { features: number; labelled: number; heldOut: number };
  code: CodeVersion;
}

/** DIR/report.json: everything needed to judge and reproduce a model without opening it. */
export interface TrainingReport {
  version: string;
  featureSetVersion: string;
  featureNames: string[];
  horizon: number;
  params: { horizon: number; neutralBand: number; folds: number; forest: ForestParams };
  source: SourceDescription;
  data: DataSummary & { trainRows: number };
  /** Walk-forward, held out: per fold, pooled (with calibration) and per symbol, model and baselines. */
  evaluation: EvaluationReport;
  promotion: PromotionDecision;
  parity: ParityResult & { tolerance: number };
  onnx: { sha256: string; bytes: number };
  training?: RunInfo;
}

export function buildReport(
  model: TrainedModel,
  opts: TrainOptions,
  source: SourceDescription,
  data: DataSummary,
  tolerance: number,
): TrainingReport {
  return {
    version: model.version,
    featureSetVersion: FEATURE_SET_VERSION,
    featureNames: [...FEATURE_NAMES],
    horizon: opts.horizon,
    params: {
      horizon: opts.horizon,
      neutralBand: opts.neutralBand,
      folds: opts.folds,
      forest: { ...model.forest.params },
    },
    source,
    data: { ...data, trainRows: model.trainRows },
    evaluation: model.evaluation,
    promotion: model.decision,
    parity: { ...model.parity, tolerance },
    onnx: { sha256: createHash('sha256').update(model.onnx).digest('hex'), bytes: model.onnx.length },
  };
}

type Headline = Omit<Metrics, 'calibration'>;

const contenderScores = z.object({ balancedAccuracy: z.number(), logLoss: z.number() }).passthrough();
const pooledSchema = z.object({
  model: contenderScores,
  majority: contenderScores,
  previousDirection: contenderScores,
});
const gainLowerSchema = z.object({ majority: z.number(), previousDirection: z.number() });

// The parts of a report.json that importing reads; the rest is kept as it is. Its `promotion`
// is never read for a decision: the verdict is recomputed from `evaluation`.
const reportSchema = z
  .object({
    version: z.string().min(1),
    featureSetVersion: z.string(),
    featureNames: z.array(z.string()),
    horizon: z.number().int().positive(),
    params: z.object({}).passthrough(),
    evaluation: z
      .object({
        folds: z.array(z.object({ testRows: z.number(), scores: z.object({}).passthrough() }).passthrough()),
        pooled: pooledSchema,
      })
      .passthrough(),
    onnx: z.object({ sha256: z.string() }).passthrough(),
  })
  .passthrough();

/** A report.json read from disk, checked for the fields the registry uses (MODEL_REPORT_INVALID). */
export function parseTrainingReport(json: unknown): TrainingReport {
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TickstreamError(
      'MODEL_REPORT_INVALID',
      `report.json is not a training report: ${first?.path.join('.') || '(root)'}: ${first?.message}`,
    );
  }
  return parsed.data as unknown as TrainingReport;
}

/**
 * The promotion verdict of a registered model, recomputed with the rule from the pooled numbers
 * in its `metrics` column; a stored `promotion.promote` flag is ignored. No numbers: a failing
 * verdict that says so.
 */
export function storedVerdict(metrics: unknown): PromotionDecision {
  const m = metrics as { pooled?: unknown; balancedAccuracyGainLower?: unknown } | null;
  const pooled = pooledSchema.safeParse(m?.pooled);
  if (!pooled.success)
    return { promote: false, forced: false, reasons: ['the registry holds no held-out numbers for it'] };
  const gain = gainLowerSchema.safeParse(m?.balancedAccuracyGainLower);
  return decidePromotion(pooled.data, gain.success ? gain.data : null);
}

/**
 * The registry's `metrics` column: the pooled held-out numbers and the verdict the rule gives on
 * them (recomputed here, whatever the report's own `promotion` says), not the whole report.
 */
export function registryMetrics(report: TrainingReport): {
  pooled: Record<Contender, Headline>;
  promotion: PromotionDecision;
  heldOutRows: number;
  /** What the rule reads besides `pooled`; null when the evaluation had no bootstrap. */
  balancedAccuracyGainLower: GainLowerBounds | null;
} {
  const pooled = Object.fromEntries(
    Object.entries(report.evaluation.pooled).map(
      ([name, { n, positiveRate, accuracy, balancedAccuracy, auc, logLoss, brier }]) => [
        name,
        { n, positiveRate, accuracy, balancedAccuracy, auc, logLoss, brier },
      ],
    ),
  ) as Record<Contender, Headline>;
  return {
    pooled,
    promotion: promotionDecision(report.evaluation),
    heldOutRows: report.evaluation.pooled.model.n,
    balancedAccuracyGainLower: gainLowerBounds(report.evaluation),
  };
}
