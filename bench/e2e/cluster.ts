// The three-node KRaft cluster of scripts/infra.mjs for `--cluster`: started if it is not running
// (and stopped again at the end, then), on TICKSTREAM_CLUSTER_PORT_BASE's ports with its state in
// TICKSTREAM_STATE_DIR, as `npm run up -- --cluster` and the fault tests use them.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The cluster's client ports (base + 1..3; infra.mjs's default base is 19091). */
export function clusterBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const base = Number(env.TICKSTREAM_CLUSTER_PORT_BASE ?? 19091);
  return [1, 2, 3].map((n) => `127.0.0.1:${base + n}`);
}

function listening(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = net.connect(Number(port), host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function infra(...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/infra.mjs'), ...args], {
    stdio: 'inherit',
    timeout: 300000,
  });
  if (r.status !== 0) throw new Error(`node scripts/infra.mjs ${args.join(' ')} exited with ${r.status}`);
}

/**
 * Starts the cluster unless all three nodes already listen; returns its broker list and what to
 * call at the end (stops it only if it was started here; its data stays for the next start).
 */
export async function useCluster(): Promise<{ brokers: string[]; release(): void }> {
  const brokers = clusterBrokers();
  const running = (await Promise.all(brokers.map(listening))).every(Boolean);
  if (!running) infra('cluster-up');
  return {
    brokers,
    release: () => {
      if (!running) infra('cluster-down');
    },
  };
}
