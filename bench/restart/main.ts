// How fast `npm run up` brings back a dead service of the running `npm run up` platform (fixed
// ports, issue 16 item 7): each service in turn is SIGKILLed, `npm run up` is run again right away
// or `--after` seconds later (by then the dead member's Kafka session has expired), and the bench
// times the spawn, /healthz, /readyz and the end of `up`, and reads the new process's CPU time
// when it answered /healthz. Wall times depend on the machine's load (printed); CPU seconds much
// less. No baseline: the reference is the same service started by hand.
// `npm run bench -- restart [--services ingest,features,inference,orders,gateway] [--after 0,12]`
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchLine, printTable } from '../support/report';
import { runBench } from '../support/cli';

const ROOT = path.resolve(__dirname, '../..');
const RUN = path.join(
  process.env.TICKSTREAM_STATE_DIR ?? process.env.TICKSTREAM_CACHE_DIR ?? path.join(ROOT, '.cache'),
  'run',
);
const PORTS: Record<string, number> = {
  ingest: 9101,
  features: 9102,
  inference: 9103,
  orders: 9105,
  gateway: 8080,
};
const CLK_TCK = 100;

const argv = process.argv;
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const SERVICES = arg('services', Object.keys(PORTS).join(',')).split(',');
const AFTER = arg('after', '0,12').split(',').map(Number);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pidOf = (name: string) => Number(fs.readFileSync(path.join(RUN, `${name}.pid`), 'utf8'));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const cpuSec = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(stat[11]) + Number(stat[12])) / CLK_TCK;
};
async function ok(port: number, p: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${p}`);
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

interface Row {
  service: string;
  after: number;
  load: number;
  spawnS: number;
  healthzS: number;
  readyzS: number;
  upExitS: number;
  killToReadyS: number;
  cpuAtHealthzS: number;
}

async function restartOnce(service: string, after: number): Promise<Row> {
  const port = PORTS[service]!;
  const old = pidOf(service);
  process.kill(old, 'SIGKILL');
  const killedAt = Date.now();
  while (alive(old)) await sleep(20);
  await sleep(after * 1000);
  const load = os.loadavg()[0]!;
  const t0 = Date.now();
  const up = spawn('npm', ['run', 'up'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  up.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let upExit: number | undefined;
  const exited = new Promise<number | null>((resolve) =>
    up.once('exit', (code) => {
      upExit = Date.now();
      resolve(code);
    }),
  );
  let healthz: number | undefined;
  let readyz: number | undefined;
  let cpu = NaN;
  const deadline = t0 + 120_000;
  while (readyz === undefined && Date.now() < deadline) {
    if (healthz === undefined && (await ok(port, '/healthz'))) {
      healthz = Date.now();
      cpu = cpuSec(pidOf(service));
    }
    if (healthz !== undefined && (await ok(port, '/readyz'))) readyz = Date.now();
    else await sleep(50);
  }
  const code = await exited;
  if (code !== 0 || readyz === undefined)
    throw new Error(`${service} did not come back (npm run up exited ${code}):\n${stderr.slice(-3000)}`);
  const spawned = fs.statSync(path.join(RUN, `${service}.pid`)).mtimeMs;
  const s = (t: number) => (t - t0) / 1000;
  return {
    service,
    after,
    load,
    spawnS: s(spawned),
    healthzS: s(healthz!),
    readyzS: s(readyz),
    upExitS: s(upExit!),
    killToReadyS: (readyz - killedAt) / 1000,
    cpuAtHealthzS: cpu,
  };
}

async function main(): Promise<void> {
  for (const s of SERVICES) {
    if (!PORTS[s]) throw new Error(`unknown service ${s}; one of ${Object.keys(PORTS).join(', ')}`);
    if (!(await ok(PORTS[s], '/healthz')) || !fs.existsSync(path.join(RUN, `${s}.pid`)))
      throw new Error(`${s} is not running from ${RUN}: start the platform with npm run up first`);
  }
  const rows: Row[] = [];
  for (const service of SERVICES)
    for (const after of AFTER) {
      const row = await restartOnce(service, after);
      rows.push(row);
      console.log(JSON.stringify(row));
      // The next kill should not land on a group still settling from this one.
      await sleep(5000);
    }
  console.log('\nseconds from running `npm run up` (kill -> ready: from the SIGKILL)');
  printTable([
    [
      'service',
      'restart after s',
      'load avg',
      'spawned',
      '/healthz',
      '/readyz',
      'up exits',
      'kill -> ready',
      'CPU s at /healthz',
    ],
    ...rows.map((r) => [
      r.service,
      r.after,
      r.load,
      r.spawnS,
      r.healthzS,
      r.readyzS,
      r.upExitS,
      r.killToReadyS,
      r.cpuAtHealthzS,
    ]),
  ]);
  benchLine(
    'restart',
    Object.fromEntries(
      rows.flatMap((r) => [
        [`${r.service}_after${r.after}_healthz_s`, r.healthzS],
        [`${r.service}_after${r.after}_ready_s`, r.readyzS],
        [`${r.service}_after${r.after}_cpu_s`, r.cpuAtHealthzS],
      ]),
    ),
  );
}

runBench(main);
