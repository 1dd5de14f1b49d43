import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TickstreamError } from '@tickstream/platform';
import type { ModelRegistry } from '../registry';
import type { TrainingReport } from '../training/report';
import { formatModelTable } from './model-table';
import { registerModel } from './registry-access';

interface Verdict {
  promotion?: { promote?: boolean; reasons?: string[] };
}

export async function listModels(registry: ModelRegistry): Promise<string> {
  const rows = await registry.list();
  return rows.length === 0
    ? 'the registry holds no models (npm run model -- import models/default)'
    : formatModelTable(rows);
}

/**
 * Makes `version` active, but only if its walk-forward verdict says it beat the baselines or the
 * operator forces it: the same rule `npm run train -- --promote` applies.
 */
export async function promoteModel(
  registry: ModelRegistry,
  version: string | undefined,
  force: boolean,
): Promise<string> {
  if (!version) throw new TickstreamError('USAGE', 'promote needs a VERSION (see npm run model -- list)');
  const row = (await registry.list()).find((m) => m.version === version);
  if (!row) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
  const verdict = (row.metrics as Verdict).promotion;
  if (verdict?.promote !== true && !force) {
    const why = verdict?.reasons?.join('; ') ?? 'its report has no promotion verdict';
    throw new TickstreamError(
      'PROMOTION_REFUSED',
      `${version} does not beat the baselines (${why}); --force to promote anyway`,
    );
  }
  await registry.promote(version);
  return `${version} is now active${verdict?.promote === true ? '' : ' (forced)'}; running inference services pick it up at their next registry poll`;
}

export async function rollbackModel(registry: ModelRegistry): Promise<string> {
  return `${await registry.rollback()} is active again`;
}

/** Registers DIR/model.onnx with DIR/report.json (e.g. models/default) as a candidate. */
export async function importModel(registry: ModelRegistry, dir: string | undefined): Promise<string> {
  if (!dir) throw new TickstreamError('USAGE', 'import needs a model directory, e.g. models/default');
  const onnx = new Uint8Array(await readFile(path.join(dir, 'model.onnx')));
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as TrainingReport;
  return `${report.version}: ${await registerModel(registry, onnx, report)} as candidate`;
}
