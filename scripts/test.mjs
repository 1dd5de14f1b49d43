#!/usr/bin/env node
// `npm test`: installs what is missing, builds, type-checks the tests, checks generated code for
// drift, starts Kafka and the schema registry if they are not running (and stops what it
// started), then runs every jest test. Extra arguments go to jest: `npm test -- packages/platform`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build, ensureDependencies } from './deps.mjs';
import { PATHS, SINGLE_NODE, stop, up } from './infra.mjs';

/**
 * Integration suites: the test files that start processes (services, brokers, the platform),
 * named `*.int.test.ts` (test/lint/int-tests.test.ts keeps the name and the content in step).
 */
function integrationSuites() {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(PATHS.ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory() && !['node_modules', 'dist'].includes(e.name)) walk(rel);
      else if (e.name.endsWith('.int.test.ts')) files.push(rel);
    }
  };
  for (const dir of ['packages', 'services', 'test']) walk(dir);
  return files.sort();
}

function run(cmd, args, env = {}) {
  return (
    spawnSync(cmd, args, { stdio: 'inherit', cwd: PATHS.ROOT, env: { ...process.env, ...env } }).status ?? 1
  );
}

async function main() {
  ensureDependencies();
  build();
  if (run('npx', ['tsc', '-p', 'tsconfig.tests.json']) !== 0) return 1;
  // The web client's tests have their own compiler settings (DOM, Preact JSX).
  if (run('npx', ['tsc', '-p', 'web/tsconfig.test.json']) !== 0) return 1;
  if (run('node', ['scripts/gen-types.mjs', '--check']) !== 0) return 1;
  const started = await up();
  const env = {
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // The broker up() started (TICKSTREAM_KAFKA_PORT moves it); the tests log in to it with the
    // passwords of .secrets/local.env (test/support/env.ts).
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? `127.0.0.1:${SINGLE_NODE[0].port}`,
  };
  const args = process.argv.slice(2);
  try {
    if (args.length > 0) return run('npx', ['jest', ...args], env);
    // Suites that start service processes, a cluster or the whole platform compete for the two
    // cores: they run one at a time after the rest has run in parallel, and the end-to-end
    // suites (npm run up, fixed ports) last.
    const serial = integrationSuites().filter((f) => !f.startsWith('test/e2e/'));
    const codes = [
      run(
        'npx',
        [
          'jest',
          '--testPathIgnorePatterns',
          '/test/e2e/',
          ...serial.flatMap((f) => ['--testPathIgnorePatterns', f]),
        ],
        env,
      ),
      // No retries: a test that fails once has found something (a retry of a stateful suite
      // also runs against what the failed attempt left behind, and hides the first error).
      run('npx', ['jest', '--runInBand', ...serial], env),
      run('npx', ['jest', '--runInBand', 'test/e2e'], env),
    ];
    return codes.find((c) => c !== 0) ?? 0;
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
