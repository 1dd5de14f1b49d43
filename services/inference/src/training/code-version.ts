import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Which code trained a model: the git commit (and whether the tree had changes), else the package version. */
export interface CodeVersion {
  git: { commit: string; dirty: boolean } | null;
  package: string;
}

function git(args: string[]): string {
  return execFileSync('git', args, {
    cwd: __dirname,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

/** git is absent in the container image and in a tarball: then only the package version is known. */
export function codeVersion(): CodeVersion {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  let commit: CodeVersion['git'] = null;
  try {
    commit = { commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain']) !== '' };
  } catch {
    commit = null;
  }
  return { git: commit, package: pkg.version };
}
