import { createHash } from 'node:crypto';
import type {
  BacktestOptions,
  EvaluationReport,
  Forest,
  ForestParams,
  PromotionDecision,
} from '@tickstream/model';
import {
  directionLabels,
  evaluateWalkForward,
  exportOnnx,
  predictProba,
  promotionDecision,
} from '@tickstream/model';
import { trainForestParallel } from '@tickstream/model/node';
import { TickstreamError } from '@tickstream/platform';
import type { Dataset } from './dataset';
import type { ParityCase, ParityResult } from './parity';
import { checkParity } from './parity';

export interface TrainOptions {
  horizon: number;
  neutralBand: number;
  folds: number;
  forest: Partial<ForestParams>;
  threads: number;
  /** Trading rule and costs; barsPerYear, when absent, follows from the bar interval (barsPerYear()). */
  backtest: Partial<BacktestOptions>;
  /** Block-bootstrap resamples (seeded with the forest's seed); 0 for none. */
  bootstrap: number;
}

const DAY_MS = 86_400_000;
/** A US regular session: 6.5 hours. */
const SESSION_MS = 23_400_000;

/**
 * Bars in a trading year of 252 sessions: 252 for daily bars, 252 x 6.5 h / interval for
 * intraday bars (the simulator's continuous 5 s bars are counted the same way, a convention).
 */
export function barsPerYear(intervalMs: number): number {
  return intervalMs >= DAY_MS ? (252 * DAY_MS) / intervalMs : (252 * SESSION_MS) / intervalMs;
}

export interface TrainedModel {
  version: string;
  onnx: Uint8Array;
  forest: Forest;
  evaluation: EvaluationReport;
  /** The rule's verdict without force; the caller decides whether to force. */
  decision: PromotionDecision;
  parity: ParityResult;
  /** Labelled rows the final forest was trained on. */
  trainRows: number;
}

/** Fewer labelled rows than this cannot fill walk-forward folds with anything worth a metric. */
const MIN_ROWS = 100;

/** yyyymmddHHMM in UTC. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 12);
}

function gather(x: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, k) => out.set(x.subarray(r * width, (r + 1) * width), k * width));
  return out;
}

/**
 * Walk-forward evaluation with the forest trained on worker threads, then the final forest on
 * every labelled row, exported to ONNX and checked for parity against the TypeScript forest on
 * each fold's held-out rows (and the final model on the last fold's).
 *
 * The version is `rf-<end of the data>-<sha8 of the model>`: the same data and parameters give
 * the same version and the same bytes, so a retrain is recognisably the same model.
 */
export async function trainModel(dataset: Dataset, opts: TrainOptions): Promise<TrainedModel> {
  const { panel, summary } = dataset;
  const pool = { threads: opts.threads };
  const parityCases: ParityCase[] = [];
  const evaluation = await evaluateWalkForward(panel, {
    horizon: opts.horizon,
    neutralBand: opts.neutralBand,
    folds: opts.folds,
    forest: opts.forest,
    backtest: {
      barsPerYear: barsPerYear(Math.max(...summary.intervalsMs, 1)),
      ...opts.backtest,
    },
    pointInTime: dataset.panelUpTo,
    bootstrap: { resamples: opts.bootstrap, seed: opts.forest.seed ?? 1 },
    fit: async (train) => {
      const forest = await trainForestParallel(train, opts.forest, pool);
      let checked = false;
      return (rows) => {
        // The first scoring is the fold's test window; later ones (shuffled copies for the
        // importance) would only repeat the parity check on the same trees.
        if (!checked) parityCases.push({ forest, rows });
        checked = true;
        return predictProba(forest, rows);
      };
    },
  });

  const { y } = directionLabels(panel.close, panel.symbol, panel.time, opts);
  const labelled: number[] = [];
  y.forEach((label, i) => {
    if (label !== -1) labelled.push(i);
  });
  if (labelled.length < MIN_ROWS)
    throw new TickstreamError(
      'TRAINING_DATA_TOO_SMALL',
      `${labelled.length} labelled feature rows; need at least ${MIN_ROWS} (more bars, or a shorter horizon)`,
    );
  const forest = await trainForestParallel(
    {
      x: gather(panel.x, panel.nFeatures, labelled),
      y: Int8Array.from(labelled, (i) => y[i] as number),
      nRows: labelled.length,
      nFeatures: panel.nFeatures,
    },
    opts.forest,
    pool,
  );

  const draft = exportOnnx(forest, { horizon: opts.horizon, modelVersion: '' });
  const sha8 = createHash('sha256').update(draft).digest('hex').slice(0, 8);
  const version = `rf-${stamp(summary.lastBarTime ?? 0)}-${sha8}`;
  const onnx = exportOnnx(forest, { horizon: opts.horizon, modelVersion: version });
  const lastHeldOut = parityCases.at(-1)?.rows ?? panel.x;
  const parity = await checkParity([...parityCases, { forest, rows: lastHeldOut, onnx }], opts.horizon);

  return {
    version,
    onnx,
    forest,
    evaluation,
    decision: promotionDecision(evaluation),
    parity,
    trainRows: labelled.length,
  };
}
