import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@tickstream/contracts';
import { ModelError } from '../errors';
import { leafWeight } from '../forest/forest';
import type { Forest } from '../forest/types';
import { ProtoWriter } from './protobuf';

export interface OnnxExportOptions {
  /** Horizon in bars of the label the forest was trained on. */
  horizon: number;
  modelVersion: string;
  /** Defaults to the contract's FEATURE_NAMES; must match the forest's width. */
  featureNames?: readonly string[];
  featureSetVersion?: string;
}

/** Keys of ModelProto.metadata_props written by exportOnnx and checked by loadModel. */
export const METADATA_KEYS = {
  featureNames: 'tickstream.feature_names',
  featureSetVersion: 'tickstream.feature_set_version',
  horizon: 'tickstream.horizon',
  modelVersion: 'tickstream.model_version',
} as const;

export const INPUT_NAME = 'features';
export const PROBABILITIES_OUTPUT = 'probabilities';
export const LABEL_OUTPUT = 'label';

// onnx.proto enums and the ONNX IR version that goes with opset 17.
const IR_VERSION = 8;
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

type Attr = [name: string, kind: keyof typeof ATTR, value: number | string | ArrayLike<number> | string[]];

function node(
  g: ProtoWriter,
  op: string,
  inputs: string[],
  outputs: string[],
  attrs: Attr[] = [],
  domain = '',
): void {
  g.message(1, (n) => {
    for (const i of inputs) n.string(1, i);
    for (const o of outputs) n.string(2, o);
    n.string(3, `${op}_${outputs[0] ?? ''}`).string(4, op);
    for (const [name, kind, value] of attrs) {
      n.message(5, (a) => {
        a.string(1, name).int(20, ATTR[kind]);
        if (kind === 'INT') a.int(3, value as number);
        else if (kind === 'STRING') a.string(4, value as string);
        else if (kind === 'INTS') a.packedInts(8, value as ArrayLike<number>);
        else if (kind === 'FLOATS') a.packedFloats(7, value as ArrayLike<number>);
        else for (const s of value as string[]) a.string(9, s);
      });
    }
    if (domain) n.string(7, domain);
  });
}

function int64Tensor(g: ProtoWriter, name: string, values: number[]): void {
  g.message(5, (t) => t.packedInts(1, [values.length]).int(2, INT64).packedInts(7, values).string(8, name));
}

function floatScalar(g: ProtoWriter, name: string, value: number): void {
  g.message(5, (t) => t.int(2, FLOAT).packedFloats(4, [value]).string(8, name));
}

function valueInfo(
  g: ProtoWriter,
  field: 11 | 12,
  name: string,
  elemType: number,
  dims: (number | string)[],
): void {
  g.message(field, (v) =>
    v.string(1, name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, elemType).message(2, (shape) => {
          for (const d of dims)
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    ),
  );
}

/**
 * The forest as an ai.onnx.ml TreeEnsembleClassifier: input `features` float [N, F]; outputs
 * `probabilities` float [N, 2] (column 1 = P(up)) and `label` int64 [N] (P(up) > 0.5).
 *
 * onnxruntime mishandles one of the two outputs of a binary ensemble (see
 * docs/reference onnx-trees): leaves carry class-1 weights only, which makes the raw column 1
 * right, and a few standard ops rebuild column 0 as 1 - P(up) and the label from P(up), the same
 * rule predictProba's callers use.
 *
 * @example
 *   const bytes = exportOnnx(forest, { horizon: 5, modelVersion: '2025-11-27.1' });
 */
export function exportOnnx(forest: Forest, opts: OnnxExportOptions): Uint8Array {
  const featureNames = opts.featureNames ?? FEATURE_NAMES;
  if (featureNames.length !== forest.nFeatures)
    throw new ModelError(
      'MODEL_FEATURE_MISMATCH',
      `${featureNames.length} feature names for a forest of ${forest.nFeatures} features`,
    );

  const ids = { tree: [] as number[], node: [] as number[], feature: [] as number[], mode: [] as string[] };
  const branch = { value: [] as number[], yes: [] as number[], no: [] as number[] };
  const leaf = { tree: [] as number[], node: [] as number[], weight: [] as number[] };
  const nTrees = forest.trees.length;
  forest.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i] as number;
      ids.tree.push(t);
      ids.node.push(i);
      ids.feature.push(Math.max(f, 0));
      ids.mode.push(f >= 0 ? 'BRANCH_LEQ' : 'LEAF');
      branch.value.push(f >= 0 ? (tree.threshold[i] as number) : 0);
      branch.yes.push(f >= 0 ? (tree.left[i] as number) : 0);
      branch.no.push(f >= 0 ? (tree.right[i] as number) : 0);
      if (f < 0) {
        leaf.tree.push(t);
        leaf.node.push(i);
        leaf.weight.push(leafWeight(tree.value[i] as number, nTrees));
      }
    }
  });

  const graph = new ProtoWriter();
  node(
    graph,
    'TreeEnsembleClassifier',
    [INPUT_NAME],
    ['raw_label', 'raw_probabilities'],
    [
      ['nodes_treeids', 'INTS', ids.tree],
      ['nodes_nodeids', 'INTS', ids.node],
      ['nodes_featureids', 'INTS', ids.feature],
      ['nodes_values', 'FLOATS', branch.value],
      ['nodes_modes', 'STRINGS', ids.mode],
      ['nodes_truenodeids', 'INTS', branch.yes],
      ['nodes_falsenodeids', 'INTS', branch.no],
      ['nodes_missing_value_tracks_true', 'INTS', new Array<number>(ids.node.length).fill(0)],
      ['class_treeids', 'INTS', leaf.tree],
      ['class_nodeids', 'INTS', leaf.node],
      ['class_ids', 'INTS', new Array<number>(leaf.node.length).fill(1)],
      ['class_weights', 'FLOATS', leaf.weight],
      ['classlabels_int64s', 'INTS', [0, 1]],
      ['post_transform', 'STRING', 'NONE'],
    ],
    'ai.onnx.ml',
  );
  node(graph, 'Slice', ['raw_probabilities', 'one_i', 'two_i', 'one_i'], ['p_up']);
  node(graph, 'Sub', ['one_f', 'p_up'], ['p_down']);
  node(graph, 'Concat', ['p_down', 'p_up'], [PROBABILITIES_OUTPUT], [['axis', 'INT', 1]]);
  node(graph, 'Greater', ['p_up', 'half_f'], ['up']);
  node(graph, 'Cast', ['up'], ['label_column'], [['to', 'INT', INT64]]);
  node(graph, 'Squeeze', ['label_column', 'one_i'], [LABEL_OUTPUT]);
  graph.string(2, 'tickstream_forest');
  int64Tensor(graph, 'one_i', [1]);
  int64Tensor(graph, 'two_i', [2]);
  floatScalar(graph, 'one_f', 1);
  floatScalar(graph, 'half_f', 0.5);
  valueInfo(graph, 11, INPUT_NAME, FLOAT, ['N', forest.nFeatures]);
  valueInfo(graph, 12, LABEL_OUTPUT, INT64, ['N']);
  valueInfo(graph, 12, PROBABILITIES_OUTPUT, FLOAT, ['N', 2]);

  const metadata: Record<string, string> = {
    [METADATA_KEYS.featureNames]: JSON.stringify(featureNames),
    [METADATA_KEYS.featureSetVersion]: opts.featureSetVersion ?? FEATURE_SET_VERSION,
    [METADATA_KEYS.horizon]: String(opts.horizon),
    [METADATA_KEYS.modelVersion]: opts.modelVersion,
  };
  const model = new ProtoWriter().int(1, IR_VERSION).string(2, '@tickstream/model').bytes(7, graph.finish());
  model.message(8, (o) => o.string(1, '').int(2, 17));
  model.message(8, (o) => o.string(1, 'ai.onnx.ml').int(2, 3));
  for (const [key, value] of Object.entries(metadata))
    model.message(14, (e) => e.string(1, key).string(2, value));
  return model.finish();
}
