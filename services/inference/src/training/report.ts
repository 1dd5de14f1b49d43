import { createHash } from 'node:crypto';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import type {
  Contender,
  EvaluationReport,
  ForestParams,
  Metrics,
  PromotionDecision,
} from '@tickstream/model';
import type { DataSummary } from './dataset';
import type { ParityResult } from './parity';
import type { TrainedModel, TrainOptions } from './pipeline';

/** What a data source was, for the record (never keys). */
export interface SourceDescription {
  kind: 'csv' | 'sim' | 'topic' | 'alpaca';
  [detail: string]: unknown;
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

/** The registry's `metrics` column: the pooled held-out numbers and the verdict, not the whole report. */
export function registryMetrics(report: TrainingReport): {
  pooled: Record<Contender, Headline>;
  promotion: PromotionDecision;
  heldOutRows: number;
} {
  const pooled = Object.fromEntries(
    Object.entries(report.evaluation.pooled).map(
      ([name, { n, positiveRate, accuracy, balancedAccuracy, auc, logLoss, brier }]) => [
        name,
        { n, positiveRate, accuracy, balancedAccuracy, auc, logLoss, brier },
      ],
    ),
  ) as Record<Contender, Headline>;
  return { pooled, promotion: report.promotion, heldOutRows: report.evaluation.pooled.model.n };
}
