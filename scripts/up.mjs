#!/usr/bin/env node
// `npm run up`: the whole platform on the simulator from a fresh clone. Installs dependencies
// and builds (each only when older than its sources), resolves and starts Kafka and the schema
// registry, provisions the database, topics and schemas, starts the services in the background
// and prints the URL. Secrets (JWT_SECRET, BROKER_KEYS_MASTER_KEY) are generated on the first
// run (and the Kafka users' passwords), see scripts/secrets.mjs. Run again while up, it starts only what is not running.
//
//   npm run up -- --replicas N   N instances each of features, inference, orders and gateway,
//                                the gateways behind a load balancer on :8088 (scripts/lb.mjs)
//   npm run up -- --cluster      on the three-broker KRaft cluster (127.0.0.1:19092-19094):
//                                topics with replication 3, min.insync.replicas 2, acks=all
//   npm run up -- --provision    provision even when the last run is still current
import { parseArgs } from 'node:util';
import { build, ensureDependencies } from './deps.mjs';
import { CLUSTER_NODES, PATHS, REGISTRY_PORT, SINGLE_NODE, brokerList, portOpen, up } from './infra.mjs';
import { provision } from './provision.mjs';
import { KAFKA_ADMIN_USER, ensureLocalSecrets, kafkaPasswordVar } from './secrets.mjs';
import {
  DEMO_ENV,
  MAX_REPLICAS,
  anyRunning,
  groupPartitions,
  startBalancer,
  startServices,
} from './services.mjs';

function options() {
  const { values } = parseArgs({
    options: {
      replicas: { type: 'string', default: '1' },
      provision: { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
    },
  });
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new Error(`--replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${values.replicas}`);
  }
  return { replicas, forceProvision: values.provision, cluster: values.cluster };
}

/** Every broker port of the chosen Kafka and the registry's port accept connections. */
async function infraAnswering(cluster) {
  const ports = [...(cluster ? CLUSTER_NODES : SINGLE_NODE).map((n) => n.port), REGISTRY_PORT];
  return (await Promise.all(ports.map((p) => portOpen(p)))).every(Boolean);
}

async function main() {
  const t0 = Date.now();
  const { replicas, forceProvision, cluster } = options();
  ensureDependencies();
  build();
  for (const g of groupPartitions()) {
    if (replicas > g.partitions) {
      process.stderr.write(
        `[up] ${g.service}: ${replicas} replicas share the ${g.partitions} partitions of ${g.topic}; ` +
          `${replicas - g.partitions} will idle\n`,
      );
    }
  }
  // Random on the first run, then reused (.secrets/local.env, mode 0600, git-ignored).
  const secrets = ensureLocalSecrets();
  const platformUp = await anyRunning();
  if (platformUp && (await infraAnswering(cluster))) {
    // Running services logged in to this broker with these secrets, so it is ours: the login
    // check of infra's up() (a Kafka client and a SCRAM handshake, a second on a busy machine)
    // would only delay bringing back a dead service.
    process.stderr.write('[up] Kafka and the schema registry answer; the platform is using them\n');
  } else {
    await up({ cluster });
  }
  if (cluster) {
    // Provisioning and every service read these (DEMO_ENV yields to the environment).
    process.env.KAFKA_BROKERS = brokerList({ cluster });
    process.env.KAFKA_REPLICATION_FACTOR = '3';
  }
  // As the Kafka super user: provisioning creates the topics and every user's ACLs.
  provision(
    {
      ...DEMO_ENV,
      ...process.env,
      KAFKA_SASL_USERNAME: KAFKA_ADMIN_USER,
      KAFKA_SASL_PASSWORD: secrets[kafkaPasswordVar(KAFKA_ADMIN_USER)],
    },
    { platformUp, force: forceProvision },
  );
  await startServices(secrets, { replicas });
  // One address for all gateways: a client of a dead one reconnects to another through it.
  const url = replicas > 1 ? await startBalancer(replicas) : 'http://127.0.0.1:8080';
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `\nTickstream is up (${secs} s). Open ${url}\n` +
      `Logs: ${PATHS.LOGS}   Stop the services: npm run down -- --services (plain npm run down stops Kafka too)`,
  );
}

main().catch((err) => {
  console.error(`[up] ${err.message}`);
  process.exit(1);
});
