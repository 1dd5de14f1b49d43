import type { FeatureVector, Prediction } from '@tickstream/contracts';
import type { InferenceMetrics } from '../metrics';
import { toPrediction, toRows } from './vectors';

/** What scoring needs of the serving model (ModelHolder in the service, a fake in tests). */
export interface ModelScorer {
  readonly current: { version: string } | undefined;
  score(
    rows: Float32Array,
    n: number,
  ): Promise<{ model: { version: string; horizon: number }; probUp: Float32Array }>;
}

export interface ScorerOptions {
  models: ModelScorer;
  /** Rows per onnxruntime call: bounds one batch's memory and latency. */
  batchMax: number;
  metrics: Pick<InferenceMetrics, 'batchSeconds' | 'batchSize'>;
  now?: () => number;
}

export type Score = (vectors: readonly FeatureVector[]) => Promise<Prediction[]>;

interface Waiting {
  vectors: readonly FeatureVector[];
  resolve(p: Prediction[]): void;
  reject(err: unknown): void;
}

/**
 * Scores vectors in order, in onnxruntime runs of at most `batchMax` rows: the stream and /predict
 * share it. One run at a time; the calls made in the same turn of the event loop, or while a run
 * is out, are scored together in the next (whole calls, up to `batchMax` rows; a larger call
 * alone, in chunks). A bar boundary brings every partition's vectors at once, and each run is an
 * async hop through onnxruntime's thread and back: six partitions queued six of them, the last
 * partition waiting for the other five.
 * A vector's score does not depend on the rows beside it (one onnxruntime thread per session).
 *
 * @example
 *   const score = createScorer({ models, batchMax: config.INFERENCE_BATCH_MAX, metrics });
 *   const predictions = await score(vectors);
 */
export function createScorer({ models, batchMax, metrics, now = Date.now }: ScorerOptions): Score {
  const waiting: Waiting[] = [];
  let running = false;

  async function run(vectors: readonly FeatureVector[]): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (let i = 0; i < vectors.length; i += batchMax) {
      const chunk = vectors.slice(i, i + batchMax);
      const t0 = process.hrtime.bigint();
      const { model, probUp } = await models.score(toRows(chunk), chunk.length);
      metrics.batchSeconds.observe(Number(process.hrtime.bigint() - t0) / 1e9);
      metrics.batchSize.observe(chunk.length);
      const at = now();
      chunk.forEach((v, j) => out.push(toPrediction(v, probUp[j]!, model, at)));
    }
    return out;
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      let n = 1;
      let rows = waiting[0]!.vectors.length;
      while (n < waiting.length && rows + waiting[n]!.vectors.length <= batchMax)
        rows += waiting[n++]!.vectors.length;
      const group = waiting.splice(0, n);
      try {
        const predictions = await run(group.flatMap((w) => w.vectors));
        let at = 0;
        for (const w of group) w.resolve(predictions.slice(at, (at += w.vectors.length)));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    running = false;
  }

  return (vectors) => {
    if (vectors.length === 0) return Promise.resolve([]);
    return new Promise<Prediction[]>((resolve, reject) => {
      waiting.push({ vectors, resolve, reject });
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
  };
}
