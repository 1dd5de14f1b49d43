import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Quote, SymbolSnapshot } from '@tickstream/contracts';
import { TEST_ENV, eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { api, connectSocket, connected, signUp } from '../support/gateway-client';
import { HEALTH_PORTS, anyHealthy } from '../support/local-stack';

const ROOT = path.resolve(__dirname, '../..');
const GATEWAY = 'http://127.0.0.1:8080';

// The walking skeleton as a user meets it: `npm run up` (Kafka and the registry are already up
// from `npm test`, so `up` reuses them), then the five health endpoints and a live AAPL quote
// over Socket.IO. Services this test started are stopped again; a developer's running stack is
// reused and left alone.
describe('npm run up', () => {
  let startedHere = false;
  // Its own topics, database and Redis keys, so it never touches a developer's data.
  const env = {
    ...process.env,
    TOPIC_PREFIX: `t-e2e-up-${Date.now()}.`,
    DATABASE_URL: TEST_ENV.DATABASE_URL,
    REDIS_KEY_PREFIX: `ts-e2e-${Date.now()}:`,
  };
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    startedHere = !(await anyHealthy());
    const r = spawnSync('npm', ['run', 'up'], { cwd: ROOT, encoding: 'utf8', timeout: 240000, env });
    if (r.status !== 0) throw new Error(`npm run up failed:\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toContain('http://127.0.0.1:8080');
  }, 300000);

  afterAll(async () => {
    socket?.close();
    if (startedHere) spawnSync('npm', ['run', 'down', '--', '--services'], { cwd: ROOT, timeout: 60000 });
  }, 60000);

  it('answers 200 on the five /healthz', async () => {
    for (const p of HEALTH_PORTS) {
      const res = await fetch(`http://127.0.0.1:${p}/healthz`);
      expect({ port: p, status: res.status }).toEqual({ port: p, status: 200 });
    }
  });

  it('streams AAPL quotes to a signed-in socket that subscribed to AAPL', async () => {
    const { accessToken } = await signUp(GATEWAY, 'e2e-up');
    await api(GATEWAY, 'POST', '/api/watchlists', { name: 'Tech', symbols: ['AAPL'] }, accessToken);
    socket = connectSocket(GATEWAY, accessToken);
    await connected(socket);
    const snapshots: SymbolSnapshot[] = [];
    const quotes: Quote[] = [];
    socket.on('snapshot', (s) => snapshots.push(s));
    socket.on('quote', (q) => quotes.push(q));
    const ack = await socket.timeout(10000).emitWithAck('subscribe', ['AAPL']);
    expect(ack).toEqual({ ok: true, symbols: ['AAPL'] });
    await eventually(() => quotes.length >= 2, 30000, 'two AAPL quotes');
    expect(quotes.every((q) => q.symbol === 'AAPL' && q.ask_price >= q.bid_price && q.bid_price > 0)).toBe(
      true,
    );
    expect(snapshots[0]?.symbol).toBe('AAPL');
    // The simulator publishes history first, so the chart has bars right away.
    expect(snapshots[0]!.bars.length).toBeGreaterThan(0);
  }, 60000);

  // Issue 16 item 7: `npm run up` again brings back a dead service without rebuilding or
  // provisioning. Only on a platform this test started: a developer's stack is left alone.
  it('brings back a SIGKILLed service without a build or provisioning, leaving the others running', async () => {
    if (!startedHere) return;
    // Where scripts/infra.mjs keeps pid files: TICKSTREAM_STATE_DIR, else the cache dir.
    const state =
      process.env.TICKSTREAM_STATE_DIR ?? process.env.TICKSTREAM_CACHE_DIR ?? path.join(ROOT, '.cache');
    const run = path.join(state, 'run');
    // The restarted process runs the build that was there: nothing is compiled again.
    const builds = ['services/features/dist/main.js', 'packages/platform/dist/index.js'];
    const builtAt = () => builds.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
    const before = builtAt();
    const pidOf = (name: string) => Number(fs.readFileSync(path.join(run, `${name}.pid`), 'utf8'));
    const others = ['ingest', 'inference', 'orders', 'gateway'].map(pidOf);
    const killed = pidOf('features');
    process.kill(killed, 'SIGKILL');
    await eventually(
      () => {
        try {
          process.kill(killed, 0);
          return false;
        } catch {
          return true;
        }
      },
      10000,
      'features to die',
    );
    const r = spawnSync('npm', ['run', 'up'], { cwd: ROOT, encoding: 'utf8', timeout: 120000, env });
    expect(r.status).toBe(0);
    for (const line of [
      'TypeScript build is up to date',
      'web client build is up to date',
      'provisioning is up to date',
      'ingest: already running',
      'gateway: already running',
      'features: healthy',
    ])
      expect(r.stderr).toContain(line);
    expect(builtAt()).toEqual(before);
    expect(['ingest', 'inference', 'orders', 'gateway'].map(pidOf)).toEqual(others);
    expect(pidOf('features')).not.toBe(killed);
    expect((await fetch('http://127.0.0.1:9102/healthz')).status).toBe(200);
  }, 150000);
});
