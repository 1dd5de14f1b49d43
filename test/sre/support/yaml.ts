import { spawnSync } from 'node:child_process';

// Debian's python3-yaml (a dependency of python3-kubernetes, which .ci/run installs) parses the
// YAML here, so the tests need no npm package that the workspace does not declare.
export const PYTHON = process.env.SRE_PYTHON ?? '/usr/bin/python3';

/** Every document of a YAML stream, as plain JSON values. */
export function parseYamlDocs(text: string): unknown[] {
  const r = spawnSync(
    PYTHON,
    [
      '-c',
      'import sys, json, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)',
    ],
    { input: text, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`YAML did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}
