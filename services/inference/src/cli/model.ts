import { TickstreamError, runCli } from '@tickstream/platform';
import { importModel, listModels, promoteModel, rollbackModel } from './model-commands';
import { withRegistry } from './registry-access';

const USAGE = `usage: npm run model -- COMMAND   (registry in DATABASE_URL)
  list                      every registered model, newest first, with its held-out numbers
  promote VERSION [--force] make VERSION the serving model (refused unless it beat the baselines, or --force)
  rollback                  re-activate the previously active model
  import DIR                register DIR/model.onnx + DIR/report.json (e.g. models/default) as a candidate`;

runCli(USAGE, async (argv) => {
  const force = argv.includes('--force');
  const [command, arg] = argv.filter((a) => a !== '--force');
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
      default:
        throw new TickstreamError('USAGE', command ? `unknown command ${command}` : 'no command given');
    }
  });
  console.log(output);
});
