#!/usr/bin/env node
// Runs a TypeScript entry point from sources with tsx (workspace packages resolve to their
// sources through tsconfig.tests.json), e.g. the training and model-registry CLIs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(root, entry), ...args], {
  stdio: 'inherit',
  env: {
    ...process.env,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.tests.json'),
  },
});
process.exit(r.status ?? 1);
