import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { directionLabels, evaluateWalkForward } from '@tickstream/model';
import { simulatedBars } from '../../src/training/bar-sources';
import { buildDataset } from '../../src/training/dataset';
import { DUMP_COLUMNS, dumpFeatures } from '../../src/training/dump';
import type { TrainOptions } from '../../src/training/pipeline';

const options: TrainOptions = {
  horizon: 3,
  neutralBand: 0.0002,
  folds: 3,
  forest: {},
  threads: 1,
  backtest: {},
  bootstrap: 0,
};

describe('--dump-features', () => {
  it('writes the exact rows, labels and folds the evaluation used', async () => {
    const dataset = buildDataset(
      simulatedBars({
        kind: 'sim',
        symbols: ['AAA', 'BBB'],
        bars: 300,
        seed: 2,
        intervalMs: 5000,
        startTime: Date.UTC(2026, 0, 5, 14, 30),
      }),
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dump-')), 'rows.csv');
    expect(await dumpFeatures(file, dataset, options)).toBe(dataset.summary.rows);

    const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(header).toBe(DUMP_COLUMNS.join(','));
    const col = (name: string) => DUMP_COLUMNS.indexOf(name as (typeof DUMP_COLUMNS)[number]);
    const rows = lines.map((l) => l.split(','));
    expect(rows).toHaveLength(dataset.summary.rows);

    const { panel } = dataset;
    const { y } = directionLabels(panel.close, panel.symbol, panel.time, options);
    rows.forEach((r, i) => {
      expect(r[col('symbol')]).toBe(panel.symbol[i]);
      expect(Number(r[col('bar_time')])).toBe(panel.time[i]);
      expect(r[col('label')]).toBe(y[i] === -1 ? '' : String(y[i]));
      // The float32 the forest read, bit for bit.
      FEATURE_NAMES.forEach((name, f) =>
        expect(Math.fround(Number(r[col(name)]))).toBe(panel.x[i * FEATURE_NAMES.length + f]),
      );
    });
    // The neutral band leaves rows unlabelled: they are in no fold's held-out rows, nor trained on.
    expect(
      rows.some((r) => r[col('label')] === '' && r[col('test_fold')] === '' && r[col('train_folds')] === ''),
    ).toBe(true);

    // Fold by fold, the dump's held-out and training rows are the evaluation's.
    const ev = await evaluateWalkForward(panel, {
      horizon: options.horizon,
      neutralBand: options.neutralBand,
      folds: options.folds,
      bootstrap: { resamples: 0 },
      importance: false,
      fit: async () => (x) => new Float64Array(x.length / FEATURE_NAMES.length).fill(0.5),
    });
    for (const f of ev.folds) {
      expect(rows.filter((r) => r[col('test_fold')] === String(f.fold))).toHaveLength(f.testRows);
      expect(rows.filter((r) => r[col('train_folds')]!.split(' ').includes(String(f.fold)))).toHaveLength(
        f.trainRows,
      );
    }
    expect(rows.filter((r) => r[col('final_model')] === '1')).toHaveLength(y.filter((l) => l !== -1).length);
  });
});
