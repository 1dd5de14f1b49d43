import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { walkForwardPlan } from '@tickstream/model';
import type { Dataset } from './dataset';
import type { TrainOptions } from './pipeline';

export const DUMP_COLUMNS = [
  'symbol',
  'bar_time',
  'bar_time_iso',
  'open',
  'close',
  'label',
  'previous_direction',
  ...FEATURE_NAMES,
  'test_fold',
  'train_folds',
  'backtest_fold',
  'final_model',
] as const;

/**
 * Writes every feature row of the dataset as evaluation saw it: features as the exact float32
 * values the forests read (printed in full, so parsing and Math.fround give the same bits), the
 * label (empty: unlabelled) and previous direction, the fold that held the row out (`test_fold`),
 * the folds that trained on it (`train_folds`, space-separated), the fold whose backtest traded
 * it (`backtest_fold`, labelled or not) and whether the final forest trained on it. Labels and
 * folds come from walkForwardPlan, the function the evaluation itself calls.
 */
export async function dumpFeatures(file: string, dataset: Dataset, opts: TrainOptions): Promise<number> {
  const { panel } = dataset;
  const { y, previous, splits, windows } = walkForwardPlan(panel, opts);
  const n = panel.symbol.length;
  const testFold = new Int32Array(n);
  const backtestFold = new Int32Array(n);
  const trainFolds: number[][] = Array.from({ length: n }, () => []);
  for (const s of splits) {
    for (const r of s.test) testFold[r] = s.fold;
    for (const r of s.train) trainFolds[r]!.push(s.fold);
  }
  for (const w of windows) for (const r of w.test) backtestFold[r] = w.fold;

  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(DUMP_COLUMNS.join(','));
  const w = panel.nFeatures;
  for (let i = 0; i < n; i++) {
    const t = panel.time[i] as number;
    const label = y[i] as number;
    await write(
      [
        panel.symbol[i],
        t,
        new Date(t).toISOString(),
        panel.open[i],
        panel.close[i],
        label === -1 ? '' : label,
        previous[i] === -1 ? '' : previous[i],
        ...Array.from(panel.x.subarray(i * w, (i + 1) * w), String),
        testFold[i] || '',
        trainFolds[i]!.join(' '),
        backtestFold[i] || '',
        label === -1 ? 0 : 1,
      ].join(','),
    );
  }
  out.end();
  await once(out, 'finish');
  return n;
}
