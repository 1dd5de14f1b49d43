import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatReport, renderReportHtml } from '@tickstream/model';
import { createLogger, runCli } from '@tickstream/platform';
import { writeBarCsv } from '../training/bar-csv';
import { loadBars } from '../training/bar-sources';
import { codeVersion } from '../training/code-version';
import { buildDataset } from '../training/dataset';
import { dumpFeatures } from '../training/dump';
import { PARITY_TOLERANCE } from '../training/parity';
import { trainModel } from '../training/pipeline';
import { buildReport } from '../training/report';
import { registerModel, withRegistry } from './registry-access';
import { TRAIN_USAGE, parseTrainArgs } from './train-args';

// `npm run train -- ...`: bars -> serving features -> walk-forward evaluation -> final forest ->
// ONNX (parity-checked) -> DIR/model.onnx + DIR/report.json, optionally into the registry.
runCli(TRAIN_USAGE, async (argv) => {
  const cmd = parseTrainArgs(argv);
  const log = createLogger({ service: 'train', level: process.env.LOG_LEVEL ?? 'warn' });
  const started = Date.now();
  const startedAt = new Date(started).toISOString();

  const bars = await loadBars(cmd.source, log);
  if (cmd.saveCsv) console.log(`saved ${await writeBarCsv(cmd.saveCsv, bars)} bars to ${cmd.saveCsv}`);
  const dataset = buildDataset(bars);
  const { summary } = dataset;
  console.log(
    `data: ${summary.symbols} symbols, ${summary.bars} bars, ${summary.rows} feature rows (${summary.droppedNonFinite} non-finite dropped), bar intervals ${summary.intervalsMs.join('/')} ms`,
  );

  if (cmd.dumpFeatures)
    console.log(
      `dumped ${await dumpFeatures(cmd.dumpFeatures, dataset, cmd.train)} feature rows to ${cmd.dumpFeatures}`,
    );

  const model = await trainModel(dataset, cmd.train);
  const report = {
    ...buildReport(model, cmd.train, cmd.description, summary, PARITY_TOLERANCE),
    training: {
      startedAt,
      seconds: (Date.now() - started) / 1000,
      rows: { features: summary.rows, labelled: model.trainRows, heldOut: model.evaluation.pooled.model.n },
      code: codeVersion(),
    },
  };
  await mkdir(cmd.out, { recursive: true });
  await writeFile(path.join(cmd.out, 'model.onnx'), model.onnx);
  await writeFile(path.join(cmd.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(cmd.out, 'report.html'), renderReportHtml(report));

  console.log(formatReport(model.evaluation));
  console.log(
    `\npromotion rule: ${model.decision.promote ? 'PASS' : 'FAIL'}\n  ${model.decision.reasons.join('\n  ')}`,
  );
  console.log(
    `parity: max |onnx - ts| = ${report.parity.maxAbsDiff.toExponential(2)} on ${report.parity.rows} held-out rows (tolerance ${PARITY_TOLERANCE})`,
  );
  console.log(
    `model ${model.version}: ${report.onnx.bytes} bytes, trained on ${model.trainRows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${path.resolve(cmd.out)}`,
  );

  if (!cmd.register) return;
  await withRegistry(async (registry) => {
    console.log(
      `registry: ${await registerModel(registry, model.onnx, report)} ${model.version} as candidate`,
    );
    if (!cmd.promote) return;
    if (model.decision.promote || cmd.force) {
      await registry.promote(model.version);
      console.log(
        `registry: ${model.version} is now active${model.decision.promote ? '' : ' (FORCED: it does not beat the baselines)'}`,
      );
    } else {
      console.log(`registry: not promoted (it does not beat the baselines; --force to promote anyway)`);
    }
  });
});
