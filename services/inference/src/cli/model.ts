import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TickstreamError } from '@tickstream/platform';
import type { ModelRegistry, ModelRow } from '../registry';
import type { TrainingReport } from '../training/report';
import { registerModel, withRegistry } from './registry-access';
import { runCli } from './run';
import { formatModelTable } from './model-table';

const USAGE = `usage: npm run model -- COMMAND
  list                      every registered model, newest first
  promote VERSION [--force] make VERSION the serving model (refused unless it beat the baselines, or --force)
  rollback                  re-activate the previously active model
  import DIR                register DIR/model.onnx + DIR/report.json (e.g. models/default) as a candidate`;

interface Verdict {
  promotion?: { promote?: boolean; reasons?: string[] };
}

async function promote(registry: ModelRegistry, version: string | undefined, force: boolean): Promise<void> {
  if (!version) throw new TickstreamError('USAGE', 'promote needs a VERSION (see npm run model -- list)');
  const row = (await registry.list()).find((m) => m.version === version);
  if (!row) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
  const verdict = (row.metrics as Verdict).promotion;
  if (verdict?.promote !== true && !force) {
    const why = verdict?.reasons?.join('; ') ?? 'its report has no promotion verdict';
    throw new TickstreamError('PROMOTION_REFUSED', `${version} does not beat the baselines (${why}); --force to promote anyway`);
  }
  await registry.promote(version);
  console.log(`${version} is now active${verdict?.promote === true ? '' : ' (forced)'}; running inference services pick it up at their next registry poll`);
}

async function importDir(registry: ModelRegistry, dir: string | undefined): Promise<void> {
  if (!dir) throw new TickstreamError('USAGE', 'import needs a model directory, e.g. models/default');
  const onnx = new Uint8Array(await readFile(path.join(dir, 'model.onnx')));
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as TrainingReport;
  console.log(`${report.version}: ${await registerModel(registry, onnx, report)} as candidate`);
}

runCli(USAGE, async (argv) => {
  const [command, arg, ...rest] = argv;
  const force = rest.includes('--force') || arg === '--force';
  await withRegistry(async (registry) => {
    switch (command) {
      case 'list': {
        const rows: ModelRow[] = await registry.list();
        console.log(rows.length === 0 ? 'the registry holds no models (npm run model -- import models/default)' : formatModelTable(rows));
        return;
      }
      case 'promote':
        return promote(registry, arg === '--force' ? rest[0] : arg, force);
      case 'rollback':
        console.log(`${await registry.rollback()} is active again`);
        return;
      case 'import':
        return importDir(registry, arg);
      default:
        throw new TickstreamError('USAGE', command ? `unknown command ${command}` : 'no command given');
    }
  });
});
