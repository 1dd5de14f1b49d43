// Installs the npm dependencies when they are missing or older than package-lock.json, and
// builds the TypeScript projects. Shared by `npm run up` and `npm test`, so a fresh clone needs
// nothing else.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PATHS } from './infra.mjs';

function sh(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: PATHS.ROOT, env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

export function ensureDependencies() {
  const lock = path.join(PATHS.ROOT, 'package-lock.json');
  const installed = path.join(PATHS.ROOT, 'node_modules/.package-lock.json');
  const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
  if (stale) {
    process.stderr.write('[deps] installing npm dependencies (npm ci)\n');
    // onnxruntime-node's install script would fetch CUDA files; its CPU binaries ship in the package.
    sh('npm', ['ci', '--no-audit', '--no-fund'], { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  }
}

export function build() {
  process.stderr.write('[deps] building (tsc -b)\n');
  sh('npx', ['tsc', '-b']);
  // The gateway serves web/dist at /, so the trader's client is built with everything else.
  process.stderr.write('[deps] building the web client (web/dist)\n');
  sh('npm', ['run', 'build', '-w', '@tickstream/web', '--silent']);
}
