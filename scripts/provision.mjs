// Provisioning as `npm run up` runs it (packages/platform/dist/cli/provision.js: database
// migrations, topics, schemas), skipped when it already ran for the same targets and nothing it
// depends on changed since: bringing back one dead service should not wait seconds for a no-op.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PATHS } from './infra.mjs';

const STAMP = path.join(PATHS.RUN, 'provisioned.json');
const CLI = path.join(PATHS.ROOT, 'packages', 'platform', 'dist', 'cli', 'provision.js');
// What provisioning writes to: a different prefix, database or cluster is a different target.
const TARGET_VARS = [
  'KAFKA_BROKERS',
  'TOPIC_PREFIX',
  'SCHEMA_REGISTRY_URL',
  'DATABASE_URL',
  'KAFKA_REPLICATION_FACTOR',
];

function target(env) {
  // The checkout too: another one (a worktree sharing the cache) may hold another catalogue.
  return { root: PATHS.ROOT, ...Object.fromEntries(TARGET_VARS.map((v) => [v, env[v] ?? ''])) };
}

/** Newest time of the inputs: the built platform package (catalogue, migrations) and schemas/. */
function inputsMtime() {
  const times = [
    path.join(PATHS.ROOT, 'packages', 'platform', 'dist', '.tsbuildinfo'),
    path.join(PATHS.ROOT, 'schemas'),
  ]
    .flatMap((p) => (fs.existsSync(p) ? [p] : []))
    .flatMap((p) =>
      fs.statSync(p).isDirectory() ? [p, ...fs.readdirSync(p).map((e) => path.join(p, e))] : [p],
    )
    .map((p) => fs.statSync(p).mtimeMs);
  return Math.max(0, ...times);
}

function current(env) {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return (
      JSON.stringify(stamp.target) === JSON.stringify(target(env)) &&
      fs.statSync(STAMP).mtimeMs >= inputsMtime()
    );
  } catch {
    return false;
  }
}

/**
 * Runs provisioning unless `platformUp` (some service is running, so the platform was provisioned
 * for it) and the stamp of the last run matches the targets and is newer than the inputs.
 * `force` (npm run up -- --provision) always runs it, e.g. after the broker's data was wiped.
 */
export function provision(env, { platformUp, force = false }) {
  if (!force && platformUp && current(env)) {
    process.stderr.write('[up] provisioning is up to date (npm run up -- --provision forces it)\n');
    return;
  }
  const r = spawnSync(process.execPath, [CLI], { cwd: PATHS.ROOT, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error('provisioning failed (see above)');
  fs.mkdirSync(PATHS.RUN, { recursive: true });
  fs.writeFileSync(STAMP, JSON.stringify({ target: target(env), at: new Date().toISOString() }) + '\n');
}
