// The pure surface: training, evaluation and ONNX export run anywhere. Loading and scoring with
// the ONNX runtime and training on worker threads need Node: @tickstream/model/node (node.ts).
export { ModelError } from './errors';
export type { ModelErrorCode } from './errors';

export { DEFAULT_FOREST_PARAMS } from './forest/types';
export type { FeatureRows, FlatTree, Forest, ForestParams, TrainingData } from './forest/types';
export { predictProba, trainForest } from './forest/forest';

export { exportOnnx, INPUT_NAME, LABEL_OUTPUT, METADATA_KEYS, PROBABILITIES_OUTPUT } from './onnx/export';
export type { OnnxExportOptions } from './onnx/export';

export { directionLabels } from './eval/series';
export type { DirectionLabels, LabelOptions } from './eval/series';
export { walkForwardSplits } from './eval/splits';
export type { SplitOptions, WalkForwardFold } from './eval/splits';
export { binaryMetrics, calibrationTable, LOG_LOSS_EPS, rocAuc } from './eval/metrics';
export type { CalibrationBin, Metrics } from './eval/metrics';
export { DEFAULT_WALK_FORWARD, evaluateWalkForward, walkForwardPlan } from './eval/walk-forward';
export type {
  Contender,
  EvaluationReport,
  Fit,
  FoldReport,
  Panel,
  Scores,
  Uncertainty,
  WalkForwardOptions,
  WalkForwardPlan,
} from './eval/walk-forward';
export {
  decidePromotion,
  formatBacktest,
  formatReport,
  formatUncertainty,
  gainLowerBounds,
  promotionDecision,
} from './eval/report';
export type { GainLowerBounds, PromotionDecision, RuleInputs } from './eval/report';
export { permutationLossIncrease } from './eval/importance';
export type { FeatureImportance } from './eval/importance';
export { DEFAULT_BOOTSTRAP, blockBootstrap, spreadOf } from './eval/uncertainty';
export type { Baseline, Bootstrap, BootstrapOptions, FoldSample, Interval, Spread } from './eval/uncertainty';
export { evaluationInconsistencies } from './eval/consistency';

export {
  DEFAULT_BACKTEST,
  concatTracks,
  decideOnPrevious,
  decideOnProbability,
  poolTracks,
  simulate,
  unitCost,
} from './backtest/simulate';
export type { BacktestOptions, Decision, Track } from './backtest/simulate';
export { performance, sharpeOf } from './backtest/performance';
export type { Performance } from './backtest/performance';
export { runBacktest, STRATEGIES } from './backtest/run';
export type {
  BacktestInputs,
  BacktestReport,
  BacktestRun,
  FoldBacktest,
  Strategy,
  StrategyPerformance,
} from './backtest/run';
export { checkNoLookAhead } from './backtest/lookahead';
export type { LookAheadCheck, TimedRows } from './backtest/lookahead';
export { renderReportHtml } from './report/html';
export type { ReportDocument } from './report/html';
