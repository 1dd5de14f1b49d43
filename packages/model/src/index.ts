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
export { DEFAULT_WALK_FORWARD, evaluateWalkForward } from './eval/walk-forward';
export type {
  Contender,
  EvaluationReport,
  Fit,
  FoldReport,
  Panel,
  Scores,
  WalkForwardOptions,
} from './eval/walk-forward';
export { decidePromotion, formatReport, promotionDecision } from './eval/report';
export type { PromotionDecision, RuleInputs } from './eval/report';
export { evaluationInconsistencies } from './eval/consistency';
