#!/usr/bin/env node
// `npm run bench -- NAME [args]` runs bench/NAME/main.ts with tsx. Each bench prints a table and
// ends with one line `BENCH NAME key=value ...`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((d) => fs.existsSync(path.join(root, 'bench', d, 'main.ts')));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench', name, 'main.ts'), ...args],
  {
    stdio: 'inherit',
    cwd: root,
    // Workspace packages resolve to their sources (paths in tsconfig.tests.json): no build needed.
    env: {
      ...process.env,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.tests.json'),
    },
  },
);
process.exit(r.status ?? 1);
