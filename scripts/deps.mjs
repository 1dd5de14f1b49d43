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

/** Newest modification time of the files under `dirs` (recursively) and of `files`. */
function newestMtime(dirs, files = []) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      // A directory's own time moves when a file in it is deleted or renamed.
      newest = Math.max(newest, st.mtimeMs);
      for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') visit(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const d of [...dirs, ...files]) visit(path.join(PATHS.ROOT, d));
  return newest;
}

function mtimeOf(rel) {
  try {
    return fs.statSync(path.join(PATHS.ROOT, rel)).mtimeMs;
  } catch {
    return 0;
  }
}

const TS_PROJECTS = ['packages', 'services'].flatMap((top) =>
  fs
    .readdirSync(path.join(PATHS.ROOT, top), { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(PATHS.ROOT, top, e.name, 'tsconfig.json')))
    .map((e) => `${top}/${e.name}`),
);

/**
 * True when a TypeScript project's build output is older than its sources. Checked by file
 * times because even a no-op `tsc -b` loads the compiler for seconds, and `npm run up` run again
 * to bring back one dead service should not wait for that.
 */
function tsStale() {
  const shared = newestMtime([], ['tsconfig.base.json', 'tsconfig.json', 'package-lock.json']);
  return TS_PROJECTS.some((p) => {
    const built = mtimeOf(`${p}/dist/.tsbuildinfo`);
    return (
      built === 0 ||
      built < Math.max(shared, newestMtime([`${p}/src`], [`${p}/tsconfig.json`, `${p}/package.json`]))
    );
  });
}

function webStale() {
  const built = mtimeOf('web/dist/index.html');
  // The client imports the shared contracts (event maps, REST shapes).
  return built === 0 || built < newestMtime(['web', 'packages/contracts/src'], ['package-lock.json']);
}

const OUTPUT = /^(.*)\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/**
 * Deletes build outputs whose source is gone. tsc never removes the output of a deleted or renamed
 * module, and a stale `dist/scoring.js` then shadows the new `dist/scoring/index.js` that
 * `require('./scoring')` was meant to load: a checkout that pulled a restructuring crashed at
 * start ("createScorer is not a function") although it built cleanly.
 */
function removeOrphanedOutputs() {
  for (const project of TS_PROJECTS) {
    const visit = (rel) => {
      const dist = path.join(PATHS.ROOT, project, 'dist', rel);
      if (!fs.existsSync(dist)) return;
      for (const e of fs.readdirSync(dist, { withFileTypes: true })) {
        const child = path.join(rel, e.name);
        if (e.isDirectory()) {
          visit(child);
          if (fs.readdirSync(path.join(dist, e.name)).length === 0) fs.rmdirSync(path.join(dist, e.name));
          continue;
        }
        const m = OUTPUT.exec(child);
        if (!m) continue;
        const src = path.join(PATHS.ROOT, project, 'src', m[1]);
        if (!fs.existsSync(`${src}.ts`) && !fs.existsSync(`${src}.tsx`)) fs.rmSync(path.join(dist, e.name));
      }
    };
    visit('');
  }
}

/** Builds what is older than its sources: every TypeScript project (tsc -b) and the web client. */
export function build({ force = false } = {}) {
  if (force || tsStale()) {
    process.stderr.write('[deps] building (tsc -b)\n');
    removeOrphanedOutputs();
    sh('npx', ['tsc', '-b']);
  } else process.stderr.write('[deps] TypeScript build is up to date\n');
  // The gateway serves web/dist at /, so the trader's client is built with everything else.
  if (force || webStale()) {
    process.stderr.write('[deps] building the web client (web/dist)\n');
    sh('npm', ['run', 'build', '-w', '@tickstream/web', '--silent']);
  } else process.stderr.write('[deps] web client build is up to date\n');
}
