import { FEATURE_NAMES } from '@tickstream/contracts';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelError } from '../errors';
import { INPUT_NAME, METADATA_KEYS, PROBABILITIES_OUTPUT } from './export';
import { readFields } from './protobuf';

export interface ModelMetadata {
  featureNames: string[];
  featureSetVersion: string;
  horizon: number;
  modelVersion: string;
}

export interface LoadedModel {
  session: InferenceSession;
  metadata: ModelMetadata;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** ModelProto.metadata_props (field 14, key 1 / value 2): onnxruntime-node does not expose them. */
function readMetadataProps(bytes: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  for (const { field, value } of readFields(bytes)) {
    if (field !== 14 || typeof value === 'number') continue;
    let key = '';
    let val = '';
    for (const entry of readFields(value)) {
      if (typeof entry.value === 'number') continue;
      if (entry.field === 1) key = utf8.decode(entry.value);
      if (entry.field === 2) val = utf8.decode(entry.value);
    }
    props.set(key, val);
  }
  return props;
}

/**
 * One thread per session: onnxruntime's tree ensemble splits a small batch of a large forest over
 * threads and adds the per-thread partial sums, so with several threads a row's score (its last
 * float32 bit) depended on the size of the batch it arrived in, and a vector re-scored after a
 * restart could differ from its first score. Serving scales out by replicas and partitions.
 */
const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
};

function mismatch(message: string): ModelError {
  return new ModelError('MODEL_FEATURE_MISMATCH', message);
}

/**
 * Opens model bytes for serving and refuses anything the feature stream cannot feed: corrupt or
 * non-ONNX bytes (MODEL_INVALID), another input layout or feature list (MODEL_FEATURE_MISMATCH),
 * or a model that does not produce probabilities for a smoke row (MODEL_INVALID).
 *
 * @example
 *   const { session, metadata } = await loadModel(await readFile(path));
 *   const pUp = await scoreBatch(session, rows, rows.length / 13);
 */
export async function loadModel(
  bytes: Uint8Array,
  expectedFeatures: readonly string[] = FEATURE_NAMES,
): Promise<LoadedModel> {
  let session: InferenceSession;
  let props: Map<string, string>;
  try {
    props = readMetadataProps(bytes);
    session = await InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (cause) {
    throw new ModelError('MODEL_INVALID', `not a loadable ONNX model: ${String(cause)}`, { cause });
  }
  try {
    const input = session.inputMetadata[0];
    const width = expectedFeatures.length;
    if (session.inputNames.length !== 1 || !input || input.name !== INPUT_NAME)
      throw mismatch(`expected one input "${INPUT_NAME}", model has [${session.inputNames.join(', ')}]`);
    if (!input.isTensor || input.type !== 'float32' || input.shape.length !== 2 || input.shape[1] !== width)
      throw mismatch(`input must be float32 [N, ${width}], model has ${JSON.stringify(input)}`);
    if (!session.outputNames.includes(PROBABILITIES_OUTPUT))
      throw new ModelError('MODEL_INVALID', `model has no "${PROBABILITIES_OUTPUT}" output`);

    const metadata = parseMetadata(props);
    if (JSON.stringify(metadata.featureNames) !== JSON.stringify(expectedFeatures))
      throw mismatch(
        `model features [${metadata.featureNames.join(', ')}] differ from [${expectedFeatures.join(', ')}]`,
      );

    const [smoke] = await scoreBatch(session, new Float32Array(width), 1);
    if (smoke === undefined || !(smoke >= 0 && smoke <= 1))
      throw new ModelError('MODEL_INVALID', `smoke row scored ${String(smoke)}, not a probability`);
    return { session, metadata };
  } catch (err) {
    await session.release();
    if (err instanceof ModelError) throw err;
    throw new ModelError('MODEL_INVALID', `model failed validation: ${String(err)}`, { cause: err });
  }
}

function parseMetadata(props: Map<string, string>): ModelMetadata {
  const names: unknown = JSON.parse(props.get(METADATA_KEYS.featureNames) ?? 'null');
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    throw mismatch(`metadata ${METADATA_KEYS.featureNames} is missing or not a list of names`);
  return {
    featureNames: names,
    featureSetVersion: props.get(METADATA_KEYS.featureSetVersion) ?? '',
    horizon: Number(props.get(METADATA_KEYS.horizon)),
    modelVersion: props.get(METADATA_KEYS.modelVersion) ?? '',
  };
}

/** P(up) for `n` row-major float32 rows: column 1 of the model's probabilities. */
export async function scoreBatch(
  session: InferenceSession,
  rows: Float32Array,
  n: number,
): Promise<Float32Array> {
  if (n < 1 || rows.length % n !== 0) throw new RangeError(`${rows.length} values do not make ${n} rows`);
  // Only probabilities: the label is P(up) > 0.5 and not worth a second output tensor.
  const feeds = { [INPUT_NAME]: new Tensor('float32', rows, [n, rows.length / n]) };
  const probs = (await session.run(feeds, [PROBABILITIES_OUTPUT]))[PROBABILITIES_OUTPUT];
  if (!probs || probs.type !== 'float32' || probs.dims.join() !== `${n},2`)
    throw new ModelError('MODEL_INVALID', `"${PROBABILITIES_OUTPUT}" is not float [${n}, 2]`);
  const data = probs.data as Float32Array;
  const pUp = new Float32Array(n);
  for (let i = 0; i < n; i++) pUp[i] = data[2 * i + 1] as number;
  return pUp;
}
