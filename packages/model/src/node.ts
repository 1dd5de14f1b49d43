// The model's Node-only entry point (@tickstream/model/node): the ONNX runtime and worker threads.
// Everything else in the package is pure and comes from @tickstream/model; the lint rule keeps it so.
export { loadModel, scoreBatch } from './onnx/load';
export type { LoadedModel, ModelMetadata } from './onnx/load';
export { trainForestParallel } from './train/parallel';
export type { ParallelOptions } from './train/parallel';
