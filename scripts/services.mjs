// The five services as `npm run up` runs them: built JS under services/*/dist, one detached
// process each, logs in .cache/logs/<name>.log, pid files in .cache/run/.
import fs from 'node:fs';
import path from 'node:path';
import { PATHS, SINGLE_NODE, readPid, startDetached, stopProcess, waitFor } from './infra.mjs';
import { kafkaPasswordVar } from './secrets.mjs';

const TELEMETRY_REGISTER = path.join(PATHS.ROOT, 'packages', 'platform', 'dist', 'telemetry', 'register.js');

export const SERVICES = [
  { name: 'ingest', port: 9101, portVar: 'HEALTH_PORT' },
  { name: 'features', port: 9102, portVar: 'HEALTH_PORT' },
  { name: 'inference', port: 9103, portVar: 'HTTP_PORT' },
  { name: 'orders', port: 9105, portVar: 'HEALTH_PORT' },
  { name: 'gateway', port: 8080, portVar: 'HTTP_PORT' },
];

/**
 * Settings of the local demo platform; anything already set in the environment wins. No secrets:
 * those come from ensureLocalSecrets() (scripts/secrets.mjs), random per checkout.
 */
export const DEMO_ENV = {
  // The broker infra.mjs started (TICKSTREAM_KAFKA_PORT moves it).
  KAFKA_BROKERS: `127.0.0.1:${SINGLE_NODE[0].port}`,
  LOG_LEVEL: 'info',
  INGEST_SOURCE: 'sim',
  SIM_BAR_INTERVAL_MS: '5000',
};

async function healthy(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/**
 * The environment of service `name`: the shared secrets, and its own Kafka user (named like the
 * service, with the ACLs of packages/platform/src/kafka/acls.ts); no other user's password.
 */
function serviceSecrets(name, secrets) {
  const own = Object.fromEntries(Object.entries(secrets).filter(([k]) => !/^KAFKA_[A-Z]+_PASSWORD$/.test(k)));
  const password = secrets[kafkaPasswordVar(name)];
  return password ? { ...own, KAFKA_SASL_USERNAME: name, KAFKA_SASL_PASSWORD: password } : own;
}

/** Starts the services not yet healthy; `secrets` (from ensureLocalSecrets) yield to process.env. */
export async function startServices(secrets = {}) {
  const started = [];
  for (const s of SERVICES) {
    if (readPid(s.name) && (await healthy(s.port))) {
      process.stderr.write(`[up] ${s.name}: already running\n`);
      continue;
    }
    const main = path.join(PATHS.ROOT, 'services', s.name, 'dist', 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
    // The telemetry preload must run before main.js requires http, express, pg and ioredis.
    const logFile = startDetached(
      s.name,
      process.execPath,
      ['--enable-source-maps', '--require', TELEMETRY_REGISTER, main],
      {
        cwd: PATHS.ROOT,
        env: { ...DEMO_ENV, ...serviceSecrets(s.name, secrets), ...process.env, [s.portVar]: String(s.port) },
      },
    );
    started.push({ ...s, logFile });
  }
  for (const s of started) {
    await waitFor(`${s.name} /healthz on :${s.port}`, () => healthy(s.port), 60000, s.logFile);
    process.stderr.write(
      `[up] ${s.name}: healthy on http://127.0.0.1:${s.port}/healthz (log ${s.logFile})\n`,
    );
  }
  return started.map((s) => s.name);
}

export async function stopServices() {
  for (const s of [...SERVICES].reverse()) {
    if (await stopProcess(s.name)) process.stderr.write(`[down] ${s.name}: stopped\n`);
  }
}
