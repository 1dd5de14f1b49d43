// The pure surface: training, evaluation and ONNX export run anywhere. Loading and scoring with
// the ONNX runtime and training on worker threads need Node: @tickstream/model/node (node.ts).
// A module re-exported whole (`export *`) has nothing internal; the lists name the public part
// of those that do.
export * from './errors';

export { DEFAULT_FOREST_PARAMS } from './forest/types';
export type { FeatureRows, FlatTree, Forest, ForestParams, TrainingData } from './forest/types';
export { predictProba, trainForest } from './forest/forest';

export * from './onnx/export';

export { directionLabels } from './eval/series';
export type { DirectionLabels, LabelOptions } from './eval/series';
export * from './eval/splits';
export * from './eval/metrics';
export * from './eval/walk-forward';
export * from './eval/report';
export * from './eval/importance';
export * from './eval/uncertainty';
export * from './eval/consistency';

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
export * from './backtest/performance';
export * from './backtest/run';
export * from './backtest/lookahead';
export * from './report/html';
