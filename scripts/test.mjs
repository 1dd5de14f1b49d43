#!/usr/bin/env node
// `npm test`: installs what is missing, builds, type-checks the tests, checks generated code for
// drift, starts Kafka and the schema registry if they are not running (and stops what it
// started), then runs every jest test. Extra arguments go to jest: `npm test -- packages/platform`.
import { spawnSync } from 'node:child_process';
import { build, ensureDependencies } from './deps.mjs';
import { PATHS, stop, up } from './infra.mjs';

function run(cmd, args, env = {}) {
  return (
    spawnSync(cmd, args, { stdio: 'inherit', cwd: PATHS.ROOT, env: { ...process.env, ...env } }).status ?? 1
  );
}

async function main() {
  ensureDependencies();
  build();
  if (run('npx', ['tsc', '-p', 'tsconfig.tests.json']) !== 0) return 1;
  if (run('node', ['scripts/gen-types.mjs', '--check']) !== 0) return 1;
  const started = await up();
  const env = { KAFKAJS_NO_PARTITIONER_WARNING: '1' };
  const args = process.argv.slice(2);
  try {
    if (args.length > 0) return run('npx', ['jest', ...args], env);
    // The end-to-end suites drive `npm run up`, whose services listen on fixed ports: they run
    // one at a time, after everything else has run in parallel.
    const rest = run('npx', ['jest', '--testPathIgnorePatterns', '/test/e2e/'], env);
    const e2e = run('npx', ['jest', '--runInBand', 'test/e2e'], env);
    return rest !== 0 ? rest : e2e;
  } finally {
    if (started.length > 0) await stop(started);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[test] ${err.message}`);
    process.exit(1);
  },
);
