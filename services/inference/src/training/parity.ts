import type { Forest } from '@tickstream/model';
import { exportOnnx, predictProba } from '@tickstream/model';
import { loadModel, scoreBatch } from '@tickstream/model/node';
import { TickstreamError } from '@tickstream/platform';

/** ONNX and TypeScript probabilities may differ by at most this much on any row. */
export const PARITY_TOLERANCE = 1e-6;

export interface ParityCase {
  forest: Forest;
  /** Row-major float32 rows, forest.nFeatures wide. */
  rows: Float32Array;
  /** Pre-exported bytes of `forest`; exported here when absent. */
  onnx?: Uint8Array;
}

export interface ParityResult {
  rows: number;
  maxAbsDiff: number;
}

/**
 * Scores each case's rows with onnxruntime and with predictProba and returns the largest
 * difference; throws PARITY_FAILED above the tolerance, because a model that serves other numbers
 * than it was evaluated with has an evaluation that means nothing.
 */
export async function checkParity(cases: readonly ParityCase[], horizon: number): Promise<ParityResult> {
  let rows = 0;
  let maxAbsDiff = 0;
  for (const c of cases) {
    const n = c.rows.length / c.forest.nFeatures;
    if (n === 0) continue;
    const { session } = await loadModel(
      c.onnx ?? exportOnnx(c.forest, { horizon, modelVersion: 'parity-check' }),
    );
    try {
      const onnx = await scoreBatch(session, c.rows, n);
      const ts = predictProba(c.forest, c.rows);
      for (let i = 0; i < n; i++)
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs((onnx[i] as number) - (ts[i] as number)));
      rows += n;
    } finally {
      await session.release();
    }
  }
  if (!(maxAbsDiff <= PARITY_TOLERANCE))
    throw new TickstreamError(
      'PARITY_FAILED',
      `ONNX and TypeScript probabilities differ by ${maxAbsDiff} (> ${PARITY_TOLERANCE}) on ${rows} rows`,
    );
  return { rows, maxAbsDiff };
}
