import { TickstreamError, runCli } from '@tickstream/platform';
import {
  importModel,
  isModelDir,
  listModels,
  promoteModel,
  rollbackModel,
  writeReport,
} from './model-commands';
import { withRegistry } from './registry-access';

const USAGE = `usage: npm run model -- COMMAND   (registry in DATABASE_URL)
  list                      every registered model, newest first, with its held-out numbers
  promote VERSION [--force] make VERSION the serving model (refused unless it beat the baselines, or --force)
  rollback                  re-activate the previously active model
  import DIR                register DIR/model.onnx + DIR/report.json (e.g. models/default) as a candidate
  report VERSION|DIR [--out FILE]
                            the evaluation and backtest as an HTML page (default report-VERSION.html),
                            from the registry's copy of the report or from DIR/report.json`;

runCli(USAGE, async (argv) => {
  const force = argv.includes('--force');
  const at = argv.indexOf('--out');
  const out = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !out) throw new TickstreamError('USAGE', '--out needs a FILE');
  const [command, arg] = argv.filter((a, i) => a !== '--force' && i !== at && i !== at + 1);
  if (command === 'report' && arg && (await isModelDir(arg))) {
    console.log(await writeReport({ dir: arg }, out));
    return;
  }
  const output = await withRegistry((registry) => {
    switch (command) {
      case 'list':
        return listModels(registry);
      case 'promote':
        return promoteModel(registry, arg, force);
      case 'rollback':
        return rollbackModel(registry);
      case 'import':
        return importModel(registry, arg);
      case 'report':
        if (!arg) throw new TickstreamError('USAGE', 'report needs a VERSION or a model directory');
        return writeReport({ registry, version: arg }, out);
      default:
        throw new TickstreamError('USAGE', command ? `unknown command ${command}` : 'no command given');
    }
  });
  console.log(output);
});
