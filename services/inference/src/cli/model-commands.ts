import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TickstreamError } from '@tickstream/platform';
import { promotionDecision, renderReportHtml } from '@tickstream/model';
import type { ModelRegistry } from '../registry';
import { parseTrainingReport, storedVerdict } from '../training/report';
import { formatModelTable } from './model-table';
import { registerModel } from './registry-access';

export async function listModels(registry: ModelRegistry): Promise<string> {
  const rows = await registry.list();
  return rows.length === 0
    ? 'the registry holds no models (npm run model -- import models/default)'
    : formatModelTable(rows);
}

/**
 * Makes `version` active, but only if it beat the baselines or the operator forces it: the same
 * rule `npm run train -- --promote` applies, recomputed here from the held-out numbers the
 * registry holds (never from a stored pass/fail flag).
 */
export async function promoteModel(
  registry: ModelRegistry,
  version: string | undefined,
  force: boolean,
): Promise<string> {
  if (!version) throw new TickstreamError('USAGE', 'promote needs a VERSION (see npm run model -- list)');
  const row = (await registry.list()).find((m) => m.version === version);
  if (!row) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
  const verdict = storedVerdict(row.metrics);
  if (!verdict.promote && !force) {
    throw new TickstreamError(
      'PROMOTION_REFUSED',
      `${version} does not beat the baselines (${verdict.reasons.join('; ')}); --force to promote anyway`,
    );
  }
  await registry.promote(version);
  return `${version} is now active${verdict.promote ? '' : ' (forced)'}; running inference services pick it up at their next registry poll`;
}

export async function rollbackModel(registry: ModelRegistry): Promise<string> {
  return `${await registry.rollback()} is active again`;
}

/** True when `arg` names a directory holding a report.json (a model directory, not a version). */
export async function isModelDir(arg: string): Promise<boolean> {
  return stat(path.join(arg, 'report.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function readReportJson(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new TickstreamError('MODEL_REPORT_INVALID', `report.json is not JSON: ${err.message}`);
  }
}

/**
 * Renders the HTML report of a model directory (no registry needed) or of a registered version
 * (from the report.json the registry keeps) to `out`, default report-VERSION.html.
 */
export async function writeReport(
  source: { dir: string } | { registry: ModelRegistry; version: string },
  out: string | undefined,
): Promise<string> {
  let json: unknown;
  if ('dir' in source) json = await readReportJson(source.dir);
  else {
    json = await source.registry.report(source.version);
    if (json === null)
      throw new TickstreamError(
        'MODEL_REPORT_MISSING',
        `the registry keeps no report for ${source.version} (registered before reports were kept); render it from its directory: npm run model -- report DIR`,
      );
  }
  const report = parseTrainingReport(json);
  const file = out ?? `report-${report.version}.html`;
  await writeFile(file, renderReportHtml(report));
  return `wrote the report of ${report.version} to ${file}`;
}

/** Registers DIR/model.onnx with DIR/report.json (e.g. models/default) as a candidate. */
export async function importModel(registry: ModelRegistry, dir: string | undefined): Promise<string> {
  if (!dir) throw new TickstreamError('USAGE', 'import needs a model directory, e.g. models/default');
  const onnx = new Uint8Array(await readFile(path.join(dir, 'model.onnx')));
  const report = parseTrainingReport(await readReportJson(dir));
  const outcome = await registerModel(registry, onnx, report);
  // The verdict comes from the evaluation; a report whose own says otherwise was edited.
  const verdict = promotionDecision(report.evaluation);
  const claimed = (report as { promotion?: { promote?: unknown } }).promotion?.promote;
  const note =
    typeof claimed === 'boolean' && claimed !== verdict.promote
      ? `; report.json claims it ${claimed ? 'passes' : 'fails'} the promotion rule but its evaluation ${verdict.promote ? 'passes' : 'fails'} it: the evaluation's verdict is kept`
      : '';
  return `${report.version}: ${outcome} as candidate (promotion rule: ${verdict.promote ? 'pass' : 'fail'})${note}`;
}
