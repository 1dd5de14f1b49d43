#!/usr/bin/env node
// `npm run up`: the whole platform on the simulator from a fresh clone. Installs dependencies
// and builds, resolves and starts Kafka and the schema registry, provisions the database,
// topics and schemas, starts the five services in the background and prints the URL. Secrets
// (JWT_SECRET, BROKER_KEYS_MASTER_KEY, the Kafka users' passwords) are generated on the first
// run, see scripts/secrets.mjs.
import { spawnSync } from 'node:child_process';
import { build, ensureDependencies } from './deps.mjs';
import { PATHS, up } from './infra.mjs';
import { KAFKA_ADMIN_USER, ensureLocalSecrets, kafkaPasswordVar } from './secrets.mjs';
import { DEMO_ENV, startServices } from './services.mjs';

async function main() {
  const t0 = Date.now();
  ensureDependencies();
  build();
  // Random on the first run, then reused (.secrets/local.env, mode 0600, git-ignored).
  const secrets = ensureLocalSecrets();
  await up();
  const provision = spawnSync(process.execPath, ['packages/platform/dist/cli/provision.js'], {
    cwd: PATHS.ROOT,
    stdio: 'inherit',
    // As the Kafka super user: provisioning creates the topics and every user's ACLs.
    env: {
      ...DEMO_ENV,
      ...process.env,
      KAFKA_SASL_USERNAME: KAFKA_ADMIN_USER,
      KAFKA_SASL_PASSWORD: secrets[kafkaPasswordVar(KAFKA_ADMIN_USER)],
    },
  });
  if (provision.status !== 0) throw new Error('provisioning failed (see above)');
  await startServices(secrets);
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `\nTickstream is up (${secs} s). Open http://127.0.0.1:8080\n` +
      `Logs: ${PATHS.LOGS}   Stop everything: npm run down`,
  );
}

main().catch((err) => {
  console.error(`[up] ${err.message}`);
  process.exit(1);
});
