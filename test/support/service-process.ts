import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_ENV, TEST_SECRETS, eventually, kafkaLogin } from './env';

const ROOT = path.resolve(__dirname, '../..');

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a test's gateway and the services beside it: topics and Redis keys under
 * `prefix`, so that suites running at once keep apart, and sign-ups not limited per IP (every
 * test user signs up from 127.0.0.1). `env` adds to it and wins over it.
 */
export function isolatedEnv(prefix: string, env: Record<string, string> = {}): Record<string, string> {
  return { TOPIC_PREFIX: prefix, REDIS_KEY_PREFIX: `${prefix}:`, RATE_SIGNUP_PER_IP: '1000', ...env };
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
}

/**
 * Runs a built service (services/NAME/dist/main.js) as a child process against the test
 * infrastructure, on a free port (or `fixedPort`, for a test that watches it start), with the
 * given extra environment (TOPIC_PREFIX at least). It logs in to Kafka as the user named like
 * the service (kafkaLogin), unless `env` says otherwise.
 */
export async function startService(
  name: string,
  env: Record<string, string>,
  portVar = name === 'gateway' || name === 'inference' ? 'HTTP_PORT' : 'HEALTH_PORT',
  fixedPort?: number,
): Promise<ServiceProcess> {
  const port = fixedPort ?? (await freePort());
  // A bench or test run can CPU-profile its services: Node writes <dir>/<name>-*.cpuprofile at
  // exit. It must be an execArgv: Node refuses --cpu-prof in NODE_OPTIONS.
  const profDir = process.env.TICKSTREAM_CPU_PROF_DIR;
  const profArgs = profDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name}-${port}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...profArgs, path.join(ROOT, 'services', name, 'dist', 'main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: TEST_ENV.KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: TEST_ENV.SCHEMA_REGISTRY_URL,
      DATABASE_URL: TEST_ENV.DATABASE_URL,
      REDIS_URL: TEST_ENV.REDIS_URL,
      LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? 'warn',
      ...TEST_SECRETS,
      // Each service as its own Kafka user: the test runs it under its ACLs, not as a super user.
      ...kafkaLogin(name),
      [portVar]: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = eventually(
    async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )) || undefined,
    60000,
    `${name} to be ready`,
  );
  const died = exited.then((code) => {
    throw new Error(`${name} exited with ${code} before it was ready`);
  });
  await Promise.race([ready, died]).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n--- ${name} output ---\n${out.slice(-4000)}`);
  });
  return processHandle(child, port, () => out, exited);
}

/** The ServiceProcess of a started child; `exited` settles with its exit code. */
export function processHandle(
  child: ChildProcess,
  port: number,
  output: () => string,
  exited: Promise<number | null>,
): ServiceProcess {
  return {
    child,
    port,
    output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A gateway and the order service it calls at ORDERS_URL, both with `env`. One after the other:
 * two services creating the same registry subjects at once race in Apicurio (the loser fails to
 * start on a compatibility error); so the order service's port is chosen before the gateway starts.
 */
export async function startGatewayAndOrders(
  env: Record<string, string>,
): Promise<{ gateway: ServiceProcess; orders: ServiceProcess }> {
  const ordersPort = await freePort();
  const gateway = await startService('gateway', { ...env, ORDERS_URL: `http://127.0.0.1:${ordersPort}` });
  try {
    return { gateway, orders: await startService('orders', env, undefined, ordersPort) };
  } catch (err) {
    await gateway.kill();
    throw err;
  }
}
